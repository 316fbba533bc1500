-- Passkeys (WebAuthn), a second factor a person may add beside their authenticator app. The
-- credential is webauthn-rs's record of it (public key and signature counter) as JSON: nothing
-- in it signs anything.
CREATE TABLE staff_passkeys (
    id INTEGER PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    credential_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    credential TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
);

CREATE INDEX staff_passkeys_by_staff ON staff_passkeys (staff_id);

-- A passkey ceremony under way: its challenge and state, one per session, kept between the
-- request that starts it and the one that finishes it (any instance), and taken (deleted) by
-- the finishing request, so one answer to a challenge works once.
CREATE TABLE webauthn_ceremonies (
    token_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('register', 'sign-in')),
    state TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
