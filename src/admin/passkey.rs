//! The passkey button: an island, the one step of signing in that needs JavaScript (the
//! browser's WebAuthn API). It asks the server for a challenge, lets the browser create or use a
//! passkey, puts the browser's answer in its form's hidden `credential` field and sends the form,
//! which the server checks like any other. Until the page's WebAssembly runs the button is
//! disabled, and the hint beside it says that passkeys need JavaScript.

use leptos::prelude::*;

/// What the button does: add a passkey to the account, or sign in with one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PasskeyStep {
    Register,
    SignIn,
}

#[island]
pub fn PasskeyButton(step: PasskeyStep, form_id: String, label: String) -> impl IntoView {
    let (ready, set_ready) = signal(false);
    let (problem, set_problem) = signal(String::new());
    // Effects run only in the browser: from then on the button works.
    Effect::new(move || set_ready.set(true));
    let busy = RwSignal::new(false);
    let on_click = move |_| {
        if busy.get_untracked() {
            return;
        }
        let form_id = form_id.clone();
        busy.set(true);
        set_problem.set(String::new());
        leptos::task::spawn_local(async move {
            if let Err(message) = ceremony(step, &form_id).await {
                set_problem.set(message);
            }
            busy.set(false);
        });
    };
    view! {
        <button
            type="button"
            class="button button--secondary"
            disabled=move || !ready.get() || busy.get()
            on:click=on_click
        >
            {label}
        </button>
        <p class="field-error" role="status">{move || problem.get()}</p>
    }
}

/// The whole ceremony: the challenge, the browser's passkey dialog, the form sent with the answer.
async fn ceremony(step: PasskeyStep, form_id: &str) -> Result<(), String> {
    let options = match step {
        PasskeyStep::Register => {
            browser::check_form(form_id)?;
            crate::api::two_factor::passkey_registration_options().await
        }
        PasskeyStep::SignIn => crate::api::two_factor::passkey_sign_in_options().await,
    }
    .map_err(|error| error.to_string())?
    .ok_or_else(|| "Passkeys cannot be used here.".to_owned())?;
    let answer = browser::run(step, &options).await?;
    browser::send(form_id, &answer)
}

#[cfg(feature = "hydrate")]
mod browser {
    //! WebAuthn through its JSON forms (`PublicKeyCredential.parse…OptionsFromJSON`, `toJSON`),
    //! which webauthn-rs reads and writes.
    use super::PasskeyStep;
    use js_sys::{Function, JSON, Object, Promise, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{HtmlFormElement, HtmlInputElement};

    const UNSUPPORTED: &str =
        "This browser cannot use passkeys here. Use a code from your authenticator app instead.";

    fn get(target: &JsValue, name: &str) -> Result<JsValue, String> {
        Reflect::get(target, &JsValue::from_str(name))
            .ok()
            .filter(|value| !value.is_undefined())
            .ok_or_else(|| UNSUPPORTED.to_owned())
    }

    fn call(target: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue, String> {
        let function: Function = get(target, name)?
            .dyn_into()
            .map_err(|_| UNSUPPORTED.to_owned())?;
        let result = match args {
            [] => function.call0(target),
            [one] => function.call1(target, one),
            _ => return Err(UNSUPPORTED.to_owned()),
        };
        result.map_err(|_| UNSUPPORTED.to_owned())
    }

    fn form(form_id: &str) -> Result<HtmlFormElement, String> {
        web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.get_element_by_id(form_id))
            .and_then(|element| element.dyn_into::<HtmlFormElement>().ok())
            .ok_or_else(|| "The page is incomplete: reload it.".to_owned())
    }

    /// The form's own fields must be valid first (a passkey needs a name).
    pub fn check_form(form_id: &str) -> Result<(), String> {
        if form(form_id)?.report_validity() {
            Ok(())
        } else {
            Err("Fill in the fields above first.".to_owned())
        }
    }

    /// Runs the browser's dialog with the server's `options`; its answer as JSON.
    pub async fn run(step: PasskeyStep, options: &str) -> Result<String, String> {
        let window: JsValue = web_sys::window().ok_or(UNSUPPORTED)?.into();
        let class = get(&window, "PublicKeyCredential")?;
        let options = JSON::parse(options).map_err(|_| UNSUPPORTED.to_owned())?;
        let public_key = get(&options, "publicKey")?;
        let (parse, method) = match step {
            PasskeyStep::Register => ("parseCreationOptionsFromJSON", "create"),
            PasskeyStep::SignIn => ("parseRequestOptionsFromJSON", "get"),
        };
        let parsed = call(&class, parse, &[&public_key])?;
        let request = Object::new();
        Reflect::set(&request, &JsValue::from_str("publicKey"), &parsed)
            .map_err(|_| UNSUPPORTED.to_owned())?;
        let credentials = get(&get(&window, "navigator")?, "credentials")?;
        let promise: Promise = call(&credentials, method, &[&request.into()])?
            .dyn_into()
            .map_err(|_| UNSUPPORTED.to_owned())?;
        let credential = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map_err(|_| {
                "The passkey dialog was closed or timed out, or this device has no passkey for this account. Try again, or use a code.".to_owned()
            })?;
        let json = call(&credential, "toJSON", &[])?;
        JSON::stringify(&json)
            .ok()
            .and_then(|text| text.as_string())
            .ok_or_else(|| UNSUPPORTED.to_owned())
    }

    /// Puts `answer` in the form's `credential` field and sends the form.
    pub fn send(form_id: &str, answer: &str) -> Result<(), String> {
        let form = form(form_id)?;
        let field = form
            .query_selector("input[name=credential]")
            .ok()
            .flatten()
            .and_then(|element| element.dyn_into::<HtmlInputElement>().ok())
            .ok_or_else(|| "The page is incomplete: reload it.".to_owned())?;
        field.set_value(answer);
        form.submit()
            .map_err(|_| "The form could not be sent.".to_owned())
    }
}

#[cfg(not(feature = "hydrate"))]
mod browser {
    //! On the server the button is never pressed.
    use super::PasskeyStep;

    const SERVER: &str = "passkeys run in the browser";

    pub fn check_form(_: &str) -> Result<(), String> {
        Err(SERVER.to_owned())
    }

    pub async fn run(_: PasskeyStep, _: &str) -> Result<String, String> {
        Err(SERVER.to_owned())
    }

    pub fn send(_: &str, _: &str) -> Result<(), String> {
        Err(SERVER.to_owned())
    }
}
