//! `/admin`: every article with its state, last edit and next review due, grouped by where its
//! clinical review stands (never reviewed, overdue, due within 30 days, the rest), each group
//! soonest due first. Overdue ones stand out in words as well as colour.

use super::form::DoneNotice;
use super::{AdminMeta, AdminNav, loading, staff_view};
use crate::api::admin::{admin_dashboard, current_staff};
use crate::content::editing::DashboardArticle;
use crate::content::format_date;
use crate::content::review::ReviewStanding;
use leptos::prelude::*;

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <AdminMeta title="Articles"/>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                staff_view(current_staff().await, admin_dashboard().await, |me, articles| {
                    view! {
                        <AdminNav me/>
                        <h1>"Articles"</h1>
                        <DoneNotice/>
                        <p><a class="button" href="/admin/articles/new">"New article"</a></p>
                        {ReviewStanding::ALL.into_iter().map(|standing| {
                            let group: Vec<_> = articles.iter().filter(|a| a.review == standing).cloned().collect();
                            (!group.is_empty()).then(|| view! {
                                <h2>{format!("{} ({})", standing.heading(), group.len())}</h2>
                                <ArticleTable articles=group caption=standing.heading()/>
                            })
                        }).collect_view()}
                    }
                    .into_any()
                })
            })}
        </Suspense>
    }
}

#[component]
fn ArticleTable(articles: Vec<DashboardArticle>, caption: &'static str) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="admin-table">
                <caption class="visually-hidden">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Title"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Last edit"</th>
                        <th scope="col">"Next review due"</th>
                    </tr>
                </thead>
                <tbody>
                    {articles
                        .into_iter()
                        .map(|article| {
                            let overdue = article.review_overdue;
                            let due = article.next_review_due.map(format_date).unwrap_or_else(|| "—".into());
                            view! {
                                <tr class:overdue=overdue>
                                    <td><a href=format!("/admin/articles/{}", article.id)>{article.title}</a></td>
                                    <td>{article.state.label()}</td>
                                    <td>{format!("{} by {}", article.last_edited_at, article.last_edited_by)}</td>
                                    <td>
                                        {due}
                                        {overdue.then(|| view! { " " <strong class="badge badge--overdue">"Overdue"</strong> })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
