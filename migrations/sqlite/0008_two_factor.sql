-- The second factor. A session is only half signed in (the password was right) until
-- `second_factor_at` is set; staff pages and actions need it set.
ALTER TABLE sessions ADD COLUMN second_factor_at INTEGER;

-- An account's authenticator-app secret, sealed with PLASTICITY_SECRET_KEY (AES-256-GCM, bound
-- to the account), so the database alone cannot mint codes. `confirmed_at` is NULL while the
-- person is enrolling. `last_step` is the newest 30-second step a code was accepted for: a code
-- is accepted only for a later step, in one conditional UPDATE, so no code works twice.
CREATE TABLE staff_totp (
    staff_id INTEGER PRIMARY KEY REFERENCES staff (id),
    secret_sealed TEXT NOT NULL,
    confirmed_at INTEGER,
    last_step INTEGER NOT NULL DEFAULT 0
);

-- Single-use recovery codes: the SHA-256 of each (they carry 120 random bits), and when it was
-- used.
CREATE TABLE recovery_codes (
    code_hash TEXT PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    used_at INTEGER
);

CREATE INDEX recovery_codes_by_staff ON recovery_codes (staff_id);
