//! Passkeys (WebAuthn, through `webauthn-rs`): a second factor a person may add beside their
//! authenticator app, and use instead of a code. A ceremony is two requests: the first stores its
//! challenge and state under the session (`Db::begin_ceremony`), the second takes them (once) and
//! checks the browser's answer. The relying party is the site's public host, so passkeys work
//! only where patients and staff reach the site by a name (not a bare IP address).

use crate::content::staff::StaffMember;
use crate::server::db::Db;
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Uuid, Webauthn, WebauthnBuilder,
};

/// How long a ceremony may take between its two requests.
pub const CEREMONY_SECS: i64 = 5 * 60;
/// The most passkeys one account may have.
pub const MAX_PER_ACCOUNT: usize = 10;
/// The longest name of a passkey.
pub const NAME_MAX_CHARS: usize = 60;

/// The site as a WebAuthn relying party.
pub struct RelyingParty(Webauthn);

impl std::fmt::Debug for RelyingParty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RelyingParty")
    }
}

impl RelyingParty {
    /// The relying party for the site at `public_origin`; `None` when its host is an IP address
    /// (browsers refuse passkeys there) or the origin is not a URL.
    pub fn for_origin(public_origin: &str) -> Option<RelyingParty> {
        let url = Url::parse(public_origin).ok()?;
        let host = url.host_str()?.to_owned();
        if host.starts_with('[') || host.parse::<std::net::IpAddr>().is_ok() {
            return None;
        }
        let webauthn = WebauthnBuilder::new(&host, &url)
            .ok()?
            .rp_name("Plasticity staff")
            .build()
            .ok()?;
        Some(RelyingParty(webauthn))
    }
}

/// Why a passkey step did not work.
#[derive(Debug, thiserror::Error)]
pub enum PasskeyError {
    #[error("This passkey step has expired or was used already. Start it again.")]
    NoCeremony,
    #[error("The passkey was not accepted. Try again, or use a code.")]
    Refused(String),
    #[error("You have {MAX_PER_ACCOUNT} passkeys already: remove one first.")]
    TooMany,
    #[error("This passkey is registered already.")]
    Duplicate,
    #[error("a stored passkey or ceremony could not be read: {0}")]
    Stored(#[from] serde_json::Error),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl PasskeyError {
    /// Whether this is the person's to fix (else ours: logged, answered without detail).
    pub fn is_theirs(&self) -> bool {
        matches!(
            self,
            PasskeyError::NoCeremony
                | PasskeyError::Refused(_)
                | PasskeyError::TooMany
                | PasskeyError::Duplicate
        )
    }
}

/// The WebAuthn user handle of an account: its id, and nothing about the person.
fn user_handle(staff_id: i64) -> Uuid {
    Uuid::from_u128(staff_id as u128)
}

fn stored_passkeys(
    stored: &[crate::server::db::StoredPasskey],
) -> Result<Vec<Passkey>, PasskeyError> {
    stored
        .iter()
        .map(|passkey| serde_json::from_str(&passkey.credential).map_err(PasskeyError::from))
        .collect()
}

/// Takes the session's ceremony of `purpose` (once) and reads its state.
async fn take_state<T: serde::de::DeserializeOwned>(
    db: &Db,
    token_hash: &str,
    purpose: &str,
    now: i64,
) -> Result<T, PasskeyError> {
    let state = db
        .take_ceremony(token_hash, purpose, now)
        .await?
        .ok_or(PasskeyError::NoCeremony)?;
    Ok(serde_json::from_str(&state)?)
}

/// Reads the browser's answer (JSON); one that cannot be read is refused like a wrong one.
fn browser_answer<T: serde::de::DeserializeOwned>(response: &str) -> Result<T, PasskeyError> {
    serde_json::from_str(response).map_err(|error| PasskeyError::Refused(error.to_string()))
}

/// Starts adding a passkey to `staff`'s account for the session `token_hash`: the options for
/// `navigator.credentials.create`, as JSON.
pub async fn registration_options(
    db: &Db,
    rp: &RelyingParty,
    token_hash: &str,
    staff: &StaffMember,
    now: i64,
) -> Result<String, PasskeyError> {
    let existing = stored_passkeys(&db.passkeys(staff.id).await?)?;
    if existing.len() >= MAX_PER_ACCOUNT {
        return Err(PasskeyError::TooMany);
    }
    let exclude = existing.iter().map(|p| p.cred_id().clone()).collect();
    let (options, state) =
        rp.0.start_passkey_registration(
            user_handle(staff.id),
            &staff.email,
            &staff.name,
            Some(exclude),
        )
        .map_err(|error| PasskeyError::Refused(error.to_string()))?;
    let state = serde_json::to_string(&state)?;
    db.begin_ceremony(token_hash, "register", &state, now + CEREMONY_SECS)
        .await?;
    Ok(serde_json::to_string(&options)?)
}

/// Finishes adding a passkey named `name` from the browser's answer `response` (JSON).
pub async fn finish_registration(
    db: &Db,
    rp: &RelyingParty,
    token_hash: &str,
    staff_id: i64,
    name: &str,
    response: &str,
    now: i64,
) -> Result<(), PasskeyError> {
    let state: PasskeyRegistration = take_state(db, token_hash, "register", now).await?;
    let response: RegisterPublicKeyCredential = browser_answer(response)?;
    let passkey =
        rp.0.finish_passkey_registration(&response, &state)
            .map_err(|error| PasskeyError::Refused(error.to_string()))?;
    if db.passkeys(staff_id).await?.len() >= MAX_PER_ACCOUNT {
        return Err(PasskeyError::TooMany);
    }
    let credential_id = serde_json::to_value(passkey.cred_id())?
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let credential = serde_json::to_string(&passkey)?;
    if db
        .add_passkey(staff_id, &credential_id, name, &credential, now)
        .await?
    {
        Ok(())
    } else {
        Err(PasskeyError::Duplicate)
    }
}

/// Starts signing in with a passkey for the half-signed-in session `token_hash`: the options for
/// `navigator.credentials.get`, as JSON; `None` when the account has no passkey.
pub async fn sign_in_options(
    db: &Db,
    rp: &RelyingParty,
    token_hash: &str,
    staff_id: i64,
    now: i64,
) -> Result<Option<String>, PasskeyError> {
    let passkeys = stored_passkeys(&db.passkeys(staff_id).await?)?;
    if passkeys.is_empty() {
        return Ok(None);
    }
    let (options, state) =
        rp.0.start_passkey_authentication(&passkeys)
            .map_err(|error| PasskeyError::Refused(error.to_string()))?;
    let state = serde_json::to_string(&state)?;
    db.begin_ceremony(token_hash, "sign-in", &state, now + CEREMONY_SECS)
        .await?;
    Ok(Some(serde_json::to_string(&options)?))
}

/// Checks the browser's answer `response` (JSON) to the session's sign-in challenge; the name of
/// the passkey used. Its signature counter is kept.
pub async fn finish_sign_in(
    db: &Db,
    rp: &RelyingParty,
    token_hash: &str,
    staff_id: i64,
    response: &str,
    now: i64,
) -> Result<String, PasskeyError> {
    let state: PasskeyAuthentication = take_state(db, token_hash, "sign-in", now).await?;
    let response: PublicKeyCredential = browser_answer(response)?;
    let result =
        rp.0.finish_passkey_authentication(&response, &state)
            .map_err(|error| PasskeyError::Refused(error.to_string()))?;
    for stored in db.passkeys(staff_id).await? {
        let mut passkey: Passkey = serde_json::from_str(&stored.credential)?;
        if passkey.cred_id() == result.cred_id() {
            passkey.update_credential(&result);
            db.passkey_used(stored.id, &serde_json::to_string(&passkey)?, now)
                .await?;
            return Ok(stored.name);
        }
    }
    Err(PasskeyError::Refused(
        "not one of this account's passkeys".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passkeys_need_a_host_name() {
        assert!(RelyingParty::for_origin("https://learn.example-clinic.org").is_some());
        assert!(RelyingParty::for_origin("http://localhost:3000").is_some());
        assert!(RelyingParty::for_origin("http://127.0.0.1:3000").is_none());
        assert!(RelyingParty::for_origin("http://[::1]:3000").is_none());
        assert!(RelyingParty::for_origin("not a url").is_none());
    }
}
