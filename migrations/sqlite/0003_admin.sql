-- The staff side: editing with revisions, clinical review, sessions, sign-in throttling, the
-- one-time setup link and the audit log. Times the server compares (sessions, throttling,
-- setup links) are Unix seconds; times people read are ISO 8601 text like the rest.

-- The newest saved revision (what the editor opens); `published_revision_id` stays what
-- patients read until a reviewer publishes the newer one.
ALTER TABLE articles ADD COLUMN head_revision_id INTEGER REFERENCES revisions (id);
-- Set while the head revision waits for clinical review; any new save clears it.
ALTER TABLE articles ADD COLUMN submitted_revision_id INTEGER REFERENCES revisions (id);
ALTER TABLE articles ADD COLUMN submitted_by INTEGER REFERENCES staff (id);
-- Who approved what patients read now, as shown on the page.
ALTER TABLE articles ADD COLUMN reviewer_name TEXT;
ALTER TABLE articles ADD COLUMN reviewer_credentials TEXT;

UPDATE articles
SET head_revision_id = (SELECT MAX(r.id) FROM revisions r WHERE r.article_id = articles.id);

-- Who saved a revision (NULL for imported ones).
ALTER TABLE revisions ADD COLUMN saved_by INTEGER REFERENCES staff (id);

-- Signed-in staff. The browser holds a random token; only its SHA-256 is stored, so a copy of
-- the database does not let anyone in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);

CREATE INDEX sessions_by_staff ON sessions (staff_id);

-- Failed sign-ins, per account (`account:EMAIL`) and per address (`address:IP`).
CREATE TABLE sign_in_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_started_at INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0
);

-- One-time links for creating the first admin in the browser.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

-- What staff did, and when, and from where. Append-only: the database itself refuses to change
-- or remove a row.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff (id),
    -- The account's email as it was then (for a failed sign-in: the email that was typed).
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT ''
);

CREATE TRIGGER audit_log_refuses_updates BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_refuses_deletes BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
