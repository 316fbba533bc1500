//! `/admin/staff` (admins): the accounts, adding one, changing a role, deactivating, resetting
//! a password or a second factor.

use super::form::{
    ConfirmPanel, CopyButton, DoneNotice, ErrorSummary, FormOutcome, TextField, use_outcome,
};
use super::{AdminMeta, AdminNav, loading, staff_page};
use crate::api::admin::{StaffList, admin_staff};
use crate::content::staff::{LinkKind, Role, StaffMember};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// A link just made for someone (an invitation, or a password reset), shown once.
#[derive(Clone, Debug)]
pub struct StaffLinkShown {
    pub name: String,
    pub kind: LinkKind,
    pub link: String,
    pub expires_at: DateTime<Utc>,
}

/// The link, once: who it is for, how to give it to them, until when it works.
#[component]
fn LinkShown(shown: StaffLinkShown) -> impl IntoView {
    let StaffLinkShown {
        name,
        kind,
        link,
        expires_at,
    } = shown;
    let (heading, what) = match kind {
        LinkKind::Invite => (
            format!("{name}\u{2019}s account is ready: send them this invitation link"),
            "With it they choose their own password and set up their second factor.",
        ),
        LinkKind::Reset => (
            format!("Send {name} this password reset link"),
            "With it they choose a new password; their sessions end then, and their old password stops working.",
        ),
    };
    view! {
        <section class="notice notice--success link-shown" aria-labelledby="link-heading" role="status">
            <h2 id="link-heading">{heading}</h2>
            <p>{what}</p>
            <p class="staff-link"><code id="staff-link">{link}</code></p>
            <CopyButton target="staff-link" label="Copy the link"/>
            <p class="hint">
                {format!(
                    "It works once, until {}, and is shown only now: send it to them yourself (by your clinic\u{2019}s email or chat). If it is lost, make a new one; the old one then stops working.",
                    super::time::admin_time(&expires_at)
                )}
            </p>
        </section>
    }
}

#[component]
pub fn StaffPage() -> impl IntoView {
    view! {
        <AdminMeta title="Staff"/>
        <Suspense fallback=loading>
            {staff_page(admin_staff(), |me, staff| {
                let me_id = me.id;
                view! { <AdminNav me/> <Staff staff me_id/> }.into_any()
            })}
        </Suspense>
    }
}

fn role_options(selected: Role) -> impl IntoView {
    Role::ALL
        .into_iter()
        .map(|role| view! { <option value=role.as_str() selected=role == selected>{role.as_str()}</option> })
        .collect_view()
}

/// The accounts, each with what an admin may do to it; on your own row only a link to your
/// account page (the server refuses deactivating yourself, taking away your own admin role and
/// resetting your own second factor: issue 30, item 7).
#[component]
fn Staff(staff: StaffList, me_id: i64) -> impl IntoView {
    let outcome: FormOutcome = use_outcome().unwrap_or_default();
    let StaffList {
        members,
        second_factor,
    } = staff;
    let rows = members
        .into_iter()
        .map(|member: StaffMember| {
            let id = member.id.to_string();
            let status = if member.active { "Active" } else { "Deactivated" };
            let enrolled = second_factor.contains(&member.id);
            let second = if enrolled { "Set up" } else { "Not yet" };
            view! {
                <tr>
                    <td data-label="Name">{member.name.clone()}</td>
                    <td data-label="Email">{member.email.clone()}</td>
                    <td data-label="Credentials">{member.credentials.clone()}</td>
                    <td data-label="Role">{member.role.as_str()}</td>
                    <td data-label="Status">{status}</td>
                    <td data-label="Second factor">{second}</td>
                    <td class="actions" data-label="Actions">
                        {(member.id == me_id).then(|| view! {
                            <p>"This is you: change your password and second factor on "<a href="/admin/account">"Your account"</a>"."</p>
                        })}
                        {(member.active && member.id != me_id).then(|| {
                            let id = id.clone();
                            let name = member.name.clone();
                            view! {
                                <form method="post" action="/admin/staff" class="inline-form">
                                    <input type="hidden" name="intent" value="role"/>
                                    <input type="hidden" name="staff_id" value=id.clone()/>
                                    <label for=format!("role-{id}")>{format!("Role for {name}")}</label>
                                    <select id=format!("role-{id}") name="role">{role_options(member.role)}</select>
                                    <button type="submit" class="button button--small">"Change role"</button>
                                </form>
                                <form method="post" action="/admin/staff" class="inline-form">
                                    <input type="hidden" name="intent" value="reset"/>
                                    <input type="hidden" name="staff_id" value=id.clone()/>
                                    <button type="submit" class="button button--small">{format!("Password reset link for {name}")}</button>
                                </form>
                                <form method="post" action="/admin/staff" class="inline-form">
                                    <input type="hidden" name="intent" value="deactivate"/>
                                    <input type="hidden" name="staff_id" value=id.clone()/>
                                    <button type="submit" class="button button--small button--danger">{format!("Deactivate {name}")}</button>
                                </form>
                                {enrolled.then(|| view! {
                                    <form method="post" action="/admin/staff" class="inline-form">
                                        <input type="hidden" name="intent" value="reset_two_factor"/>
                                        <input type="hidden" name="staff_id" value=id.clone()/>
                                        <button type="submit" class="button button--small button--danger">{format!("Reset second factor of {name}")}</button>
                                    </form>
                                })}
                            }
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    let new_role = outcome
        .value("role")
        .parse::<Role>()
        .unwrap_or(Role::Writer);
    let shown = use_context::<StaffLinkShown>();
    view! {
        <h1>"Staff"</h1>
        <DoneNotice/>
        {shown.map(|shown| view! { <LinkShown shown/> })}
        <ConfirmPanel/>
        <ErrorSummary message=outcome.message.clone() errors=outcome.errors.clone()/>
        <div class="table-wrap">
            <table class="admin-table staff-table">
                <caption class="visually-hidden">"Staff accounts"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email"</th>
                        <th scope="col">"Credentials"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Second factor"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <h2>"Add a member of staff"</h2>
        <form method="post" action="/admin/staff" class="stack narrow">
            <input type="hidden" name="intent" value="add"/>
            <TextField name="name" label="Name" value=outcome.value("name") error=outcome.error("name") required=true/>
            <TextField name="email" label="Email" kind="email" value=outcome.value("email") error=outcome.error("email") required=true/>
            <TextField name="credentials" label="Credentials (optional)" value=outcome.value("credentials") hint="e.g. MD, PharmD, BSN RN"/>
            <div class="field">
                <label for="new-role">"Role"</label>
                <select id="new-role" name="role">{role_options(new_role)}</select>
            </div>
            <p class="hint">"You get an invitation link to send them: with it they choose their own password and set up their second factor. It works once, for 72 hours."</p>
            <button type="submit" class="button">"Add and make an invitation link"</button>
        </form>
    }
}
