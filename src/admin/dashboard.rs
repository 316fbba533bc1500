//! `/admin`: the articles with their state, last edit and next review due, grouped by where their
//! clinical review stands (never reviewed, overdue, due within 30 days, the rest), each group
//! soonest due first, fifty to a page (`?page=N`). Each group's heading gives its size across
//! all pages. Overdue ones stand out in words as well as colour.

use super::form::DoneNotice;
use super::time::admin_time;
use super::{AdminMeta, AdminNav, loading, query_page, staff_page};
use crate::api::admin::admin_dashboard;
use crate::content::editing::{DASHBOARD_PER_PAGE, Dashboard, DashboardArticle};
use crate::content::format_date;
use crate::content::review::ReviewStanding;
use crate::content::staff::Role;
use leptos::prelude::*;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let page = query_page();
    view! {
        <AdminMeta title="Articles"/>
        <Suspense fallback=loading>
            {staff_page(admin_dashboard(page), |me, mut dashboard| {
                let reviewer = me.role >= Role::Reviewer;
                let waiting = std::mem::take(&mut dashboard.waiting);
                view! {
                    <AdminNav me/>
                    <h1>"Articles"</h1>
                    <DoneNotice/>
                    <p><a class="button" href="/admin/articles/new">"New article"</a></p>
                    {reviewer.then(|| view! { <Waiting waiting/> })}
                    <Groups dashboard/>
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// For a reviewer: what they may approve now.
#[component]
fn Waiting(waiting: Vec<DashboardArticle>) -> impl IntoView {
    let count = waiting.len();
    view! {
        <section class="waiting" aria-labelledby="waiting-heading">
            <h2 id="waiting-heading">{format!("Waiting for your review ({count})")}</h2>
            {if waiting.is_empty() {
                view! { <p>"Nothing is waiting for your review. Articles others submit appear here."</p> }.into_any()
            } else {
                view! { <ArticleTable articles=waiting caption="Waiting for your review"/> }.into_any()
            }}
        </section>
    }
}

/// This page's articles under their groups' headings, and the links to the other pages.
#[component]
fn Groups(dashboard: Dashboard) -> impl IntoView {
    let Dashboard {
        articles,
        groups,
        page,
        has_next,
        ..
    } = dashboard;
    let total: u64 = groups.iter().map(|(_, size)| size).sum();
    let pages = total.div_ceil(u64::from(DASHBOARD_PER_PAGE)).max(1);
    let size_of = move |standing: ReviewStanding| {
        groups
            .iter()
            .find(|(group, _)| *group == standing)
            .map_or(0, |(_, size)| *size)
    };
    view! {
        {ReviewStanding::ALL.into_iter().map(|standing| {
            let group: Vec<_> = articles.iter().filter(|a| a.review == standing).cloned().collect();
            (!group.is_empty()).then(|| view! {
                <h2>{format!("{} ({})", standing.heading(), size_of(standing))}</h2>
                <ArticleTable articles=group caption=standing.heading()/>
            })
        }).collect_view()}
        {(page > 1 || has_next).then(|| view! {
            <nav aria-label="Article pages" class="pagination">
                {(page > 1).then(|| view! { <a href=format!("/admin?page={}", page - 1)>"Previous page"</a> })}
                <span>{format!("Page {page} of {pages}")}</span>
                {has_next.then(|| view! { <a href=format!("/admin?page={}", page + 1)>"Next page"</a> })}
            </nav>
        })}
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
                                    <td>{format!("{} by {}", admin_time(&article.last_edited_at), article.last_edited_by)}</td>
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
