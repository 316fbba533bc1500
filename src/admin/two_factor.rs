//! `/admin/two-factor`: the second step of signing in. An account without an authenticator app
//! sets one up here (QR code or typed key, confirmed with a code) and is given its recovery
//! codes; an account with one enters its code, or a recovery code. Plain forms: all of it works
//! without JavaScript.

use super::AdminMeta;
use super::form::{CopyButton, ErrorSummary, TextField, use_outcome};
use super::held::{HeldField, HeldNotice, SendAgain, SendAgainForm, SendAgainPage, use_held};
use super::passkey::{PasskeyButton, PasskeyStep};
use crate::api::two_factor::{EnrolmentView, SignInStep, second_factor_step};
use crate::components::loaded::loaded_once;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Recovery codes just made, shown once (the answer to enrolling, or to asking for new ones).
#[derive(Clone, Debug)]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
    /// Where "Continue" goes.
    pub next: String,
    /// The codes as a text file, and as a `data:` URL that downloads it.
    pub text: String,
    pub download: String,
}

#[cfg(feature = "ssr")]
impl RecoveryCodes {
    pub fn new(codes: Vec<String>, next: &str) -> RecoveryCodes {
        let text = format!(
            "Plasticity recovery codes\nEach signs you in once instead of a code from your authenticator app.\n\n{}\n",
            codes.join("\n")
        );
        let encoded =
            percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC);
        RecoveryCodes {
            codes,
            next: next.to_owned(),
            download: format!("data:text/plain;charset=utf-8,{encoded}"),
            text,
        }
    }
}

#[component]
pub fn TwoFactorPage() -> impl IntoView {
    let outcome = use_outcome().unwrap_or_default();
    let next = use_query_map()
        .read_untracked()
        .get("next")
        .unwrap_or_else(|| outcome.value("next"));
    let codes = use_context::<RecoveryCodes>();
    if let Some(SendAgain(held)) = use_context::<SendAgain>() {
        return view! { <SendAgainPage held/> }.into_any();
    }
    view! {
        <AdminMeta title="Two-factor sign-in"/>
        <Suspense fallback=super::loading>
            {loaded_once(
                async move {
                    match codes {
                        Some(codes) => Ok(Err(codes)),
                        None => second_factor_step().await.map(Ok),
                    }
                },
                move |step| match step {
                    Ok(Ok(step)) => view! { <Step step next=next.clone()/> }.into_any(),
                    Ok(Err(codes)) => view! { <RecoveryCodesShown codes/> }.into_any(),
                    Err(error) => view! { <super::AdminErrorPage error/> }.into_any(),
                },
            )}
        </Suspense>
    }
    .into_any()
}

#[component]
fn Step(step: SignInStep, next: String) -> impl IntoView {
    let outcome = use_outcome().unwrap_or_default();
    let summary =
        view! { <ErrorSummary message=outcome.message.clone() errors=Default::default()/> };
    let body = match (step.signed_in, step.enrolment) {
        (true, _) => view! {
            <h1>"You are signed in"</h1>
            <p>"Your second factor is set up. "<a href="/admin">"Go to the articles"</a>"."</p>
        }
        .into_any(),
        (false, Some(enrolment)) => view! {
            <h1>"Set up two-factor sign-in"</h1>
            <HeldNotice/>
            {summary}
            <Enrol enrolment next/>
        }
        .into_any(),
        (false, None) => view! {
            <h1>"Enter your sign-in code"</h1>
            <HeldNotice/>
            {summary}
            <EnterCode next passkeys=step.passkeys/>
        }
        .into_any(),
    };
    view! {
        <div class="narrow">
            {body}
            <p class="hint">{format!("Signing in as {} ({}).", step.name, step.email)}</p>
            <form method="post" action="/admin/logout">
                <button type="submit" class="button button--secondary">"Cancel and sign out"</button>
            </form>
        </div>
    }
}

/// The code field every form here shares: six digits, from the app, pasted or typed.
fn code_field(label: &'static str) -> impl IntoView {
    let outcome = use_outcome().unwrap_or_default();
    view! {
        <TextField
            name="code"
            label=label
            error=outcome.error("code")
            autocomplete="one-time-code"
            inputmode="numeric"
            hint="6 digits. Spaces are fine."
            required=true
        />
    }
}

#[component]
fn Enrol(enrolment: EnrolmentView, next: String) -> impl IntoView {
    let EnrolmentView {
        secret_text,
        qr_width,
        qr_path,
    } = enrolment;
    view! {
        <p>
            "Every staff account signs in with its password and a code from an authenticator app "
            "on your phone, such as Google Authenticator, Microsoft Authenticator, 1Password or "
            "FreeOTP. Set one up now: it takes a minute."
        </p>
        <ol class="steps">
            <li>
                <p>"In the app, add an account and scan this QR code:"</p>
                <svg
                    class="qr-code"
                    role="img"
                    aria-label="QR code for your authenticator app (the key below holds the same)"
                    viewBox=format!("0 0 {qr_width} {qr_width}")
                    width="232"
                    height="232"
                    shape-rendering="crispEdges"
                >
                    <rect width="100%" height="100%" fill="#fff"/>
                    <path d=qr_path fill="#000"/>
                </svg>
                <p>"Or type this key into the app (choose a time-based key):"</p>
                <p><code class="secret-key">{secret_text}</code></p>
            </li>
            <li>
                <form method="post" action="/admin/two-factor" class="stack">
                    <input type="hidden" name="intent" value="enrol"/>
                    <input type="hidden" name="next" value=next/>
                    <HeldField/>
                    {code_field("Enter the code the app shows")}
                    <button type="submit" class="button">"Confirm and sign in"</button>
                </form>
            </li>
        </ol>
    }
}

#[component]
fn EnterCode(next: String, passkeys: bool) -> impl IntoView {
    let outcome = use_outcome().unwrap_or_default();
    let passkey = passkeys.then(|| {
        view! {
            <h2>"Or use a passkey"</h2>
            <form method="post" action="/admin/two-factor" id="passkey-sign-in" class="stack">
                <input type="hidden" name="intent" value="passkey"/>
                <input type="hidden" name="next" value=next.clone()/>
                <input type="hidden" name="credential" value=""/>
                <HeldField/>
                <p class="hint">"Passkeys need JavaScript; a code works without it."</p>
                <PasskeyButton
                    step=PasskeyStep::SignIn
                    form_id="passkey-sign-in".to_owned()
                    label="Use a passkey".to_owned()
                />
            </form>
        }
    });
    view! {
        <form method="post" action="/admin/two-factor" class="stack">
            <input type="hidden" name="intent" value="code"/>
            <input type="hidden" name="next" value=next.clone()/>
            <HeldField/>
            {code_field("Code from your authenticator app")}
            <button type="submit" class="button">"Sign in"</button>
        </form>
        {passkey}
        <h2>"Lost your phone?"</h2>
        <form method="post" action="/admin/two-factor" class="stack">
            <input type="hidden" name="intent" value="recovery"/>
            <input type="hidden" name="next" value=next/>
            <HeldField/>
            <TextField
                name="recovery_code"
                label="Recovery code"
                error=outcome.error("recovery_code")
                autocomplete="off"
                hint="One of the ten codes you saved when you set up sign-in. Each works once."
            />
            <button type="submit" class="button button--secondary">"Sign in with a recovery code"</button>
        </form>
        <p class="hint">"No recovery codes either? Ask a Plasticity admin to reset your second factor."</p>
    }
}

/// Print, Copy, and a `.txt` download of the codes (a `data:` link: no script, nothing stored).
/// Print and Copy need JavaScript and stay hidden without it; the browser's own print menu and
/// the download need none.
#[component]
fn CodeActions(text: String, href: String) -> impl IntoView {
    use crate::components::print_button::PRINT_SCRIPT;
    view! {
        <pre id="codes-text" hidden=true>{text}</pre>
        <div class="button-row code-actions">
            <button type="button" class="button button--secondary" data-print="" hidden=true>"Print"</button>
            <CopyButton target="codes-text" label="Copy"/>
            <a class="button button--secondary" href=href download="plasticity-recovery-codes.txt">"Download (.txt)"</a>
        </div>
        <script nonce=use_nonce() inner_html=PRINT_SCRIPT></script>
    }
}

/// The recovery codes, once: what they are for and how to keep them.
#[component]
pub fn RecoveryCodesShown(codes: RecoveryCodes) -> impl IntoView {
    let RecoveryCodes {
        codes,
        next,
        text,
        download,
    } = codes;
    let next = crate::area::safe_admin_path(&next).to_owned();
    view! {
        <div class="narrow">
            <h1>"Save your recovery codes"</h1>
            <p>
                "If you lose your phone, each of these codes signs you in once instead of a code "
                "from the app. Print them or write them down, and keep them apart from your phone. "
                "They are shown only now; any older recovery codes no longer work."
            </p>
            <ol class="recovery-codes">
                {codes.into_iter().map(|code| view! { <li><code>{code}</code></li> }).collect_view()}
            </ol>
            <CodeActions text href=download/>
            {match use_held() {
                Some(held) => view! {
                    <h2>"Then send your changes"</h2>
                    <SendAgainForm held/>
                }.into_any(),
                None => view! { <p><a class="button" href=next>"I have saved them: continue"</a></p> }.into_any(),
            }}
        </div>
    }
}
