//! `/admin/audit` (admins): what staff did, newest first. Nothing here can be edited; the
//! database refuses changes to the log.

use super::time::admin_time;
use super::{AdminMeta, AdminNav, loading, query_page, staff_page};
use crate::api::admin::{AuditPage, admin_audit};
use leptos::prelude::*;

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let page = query_page();
    view! {
        <AdminMeta title="Audit log"/>
        <Suspense fallback=loading>
            {staff_page(admin_audit(page), |me, log| {
                view! { <AdminNav me/> <AuditTable log/> }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn AuditTable(log: AuditPage) -> impl IntoView {
    let AuditPage {
        entries,
        page,
        has_next,
    } = log;
    view! {
        <h1>"Audit log"</h1>
        <div class="table-wrap">
            <table class="admin-table">
                <caption class="visually-hidden">"Audit log, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"When"</th>
                        <th scope="col">"Who"</th>
                        <th scope="col">"What"</th>
                        <th scope="col">"Subject"</th>
                        <th scope="col">"From"</th>
                    </tr>
                </thead>
                <tbody>
                    {entries
                        .into_iter()
                        .map(|entry| view! {
                            <tr>
                                <td>{admin_time(&entry.at)}</td>
                                <td>{entry.actor}</td>
                                <td>{entry.action}</td>
                                <td>{entry.subject}</td>
                                <td>{entry.address}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <nav aria-label="Audit log pages" class="pagination">
            {(page > 1).then(|| view! { <a href=format!("/admin/audit?page={}", page - 1)>"Newer"</a> })}
            {has_next.then(|| view! { <a href=format!("/admin/audit?page={}", page + 1)>"Older"</a> })}
        </nav>
    }
}
