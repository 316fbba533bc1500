//! `/admin/account`: change your own password (which signs out your other sessions), and make
//! new recovery codes.

use super::form::{DoneNotice, ErrorSummary, TextField, use_outcome};
use super::passkey::{PasskeyButton, PasskeyStep};
use super::time::admin_time;
use super::two_factor::{RecoveryCodes, RecoveryCodesShown};
use super::{AdminMeta, AdminNav, loading, staff_page};
use crate::api::two_factor::{AccountSecurity, PasskeySummary, my_second_factor};
use crate::content::staff::StaffMember;
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    let codes = use_context::<RecoveryCodes>();
    view! {
        <AdminMeta title="Your account"/>
        <Suspense fallback=loading>
            {staff_page(my_second_factor(), move |me, left| match codes.clone() {
                Some(codes) => view! { <AdminNav me/> <RecoveryCodesShown codes/> }.into_any(),
                None => view! { <Account me left/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Account(me: StaffMember, left: AccountSecurity) -> impl IntoView {
    let AccountSecurity {
        recovery_codes_left: left,
        passkeys,
        passkeys_available,
    } = left;
    let outcome = use_outcome().unwrap_or_default();
    view! {
        <AdminNav me=me.clone()/>
        <h1>"Your account"</h1>
        <DoneNotice/>
        <ErrorSummary message=outcome.message.clone() errors=outcome.errors.clone()/>
        <p>{format!("{} · {} · {}", me.name, me.email, me.role)}</p>
        <h2>"Change your password"</h2>
        <form method="post" action="/admin/account" class="stack narrow">
            <input type="hidden" name="intent" value="password"/>
            <TextField name="current" label="Current password" kind="password" error=outcome.error("current") autocomplete="current-password" required=true/>
            <TextField name="password" label="New password" kind="password" error=outcome.error("password") autocomplete="new-password" hint="At least 12 characters. A few unrelated words work well." required=true/>
            <TextField name="confirm" label="New password again" kind="password" error=outcome.error("confirm") autocomplete="new-password" required=true/>
            <button type="submit" class="button">"Change password"</button>
        </form>
        <h2>"Two-factor sign-in"</h2>
        <p>"You sign in with your password and a code from your authenticator app."</p>
        <p>{format!("Recovery codes left: {left} of 10.")}</p>
        <form method="post" action="/admin/account" class="stack narrow">
            <input type="hidden" name="intent" value="recovery_codes"/>
            <p class="hint">"New codes replace all of your old ones."</p>
            <button type="submit" class="button button--secondary">"Make new recovery codes"</button>
        </form>
        <p class="hint">"Lost the phone with your app? Ask another admin to reset your second factor."</p>
        <h2>"Passkeys"</h2>
        <Passkeys passkeys available=passkeys_available/>
    }
}

/// The account's passkeys, each with a Remove button, and the form that adds one (its button
/// is an island: WebAuthn needs JavaScript).
#[component]
fn Passkeys(passkeys: Vec<PasskeySummary>, available: bool) -> impl IntoView {
    if !available {
        return view! {
            <p>"Passkeys work only when the site is reached by its name, not a bare IP address."</p>
        }
        .into_any();
    }
    let listed = (!passkeys.is_empty()).then(|| {
        let items = passkeys
            .into_iter()
            .map(|passkey| {
                let used = passkey
                    .last_used
                    .map_or("never used".to_owned(), |at| format!("last used {}", admin_time(&at)));
                view! {
                    <li>
                        <form method="post" action="/admin/account" class="inline-form">
                            <span>{format!("{}: added {}, {used}", passkey.name, admin_time(&passkey.added))}</span>
                            <input type="hidden" name="intent" value="remove_passkey"/>
                            <input type="hidden" name="passkey_id" value=passkey.id.to_string()/>
                            <button type="submit" class="button button--small button--danger">
                                {format!("Remove {}", passkey.name)}
                            </button>
                        </form>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="passkeys">{items}</ul> }
    });
    view! {
        <p>"A passkey on this device (or a security key) signs you in instead of a code from your app."</p>
        {listed}
        <form method="post" action="/admin/account" id="add-passkey" class="stack narrow">
            <input type="hidden" name="intent" value="add_passkey"/>
            <input type="hidden" name="credential" value=""/>
            <TextField name="name" label="Name for the new passkey" hint="e.g. Work laptop. Adding one needs JavaScript." required=true/>
            <PasskeyButton
                step=PasskeyStep::Register
                form_id="add-passkey".to_owned()
                label="Add a passkey".to_owned()
            />
        </form>
    }
    .into_any()
}
