-- Staff journeys (issue 30): what happened to an article besides its saves, for its history.
-- Each submission for review, request for changes, publication and unpublishing, with who did
-- it, the revision it was about, and the note they typed (a submission of unchanged text keeps
-- its note here: there is no new revision to hold it).
CREATE TABLE article_events (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id),
    revision_id INTEGER NOT NULL REFERENCES revisions (id),
    kind TEXT NOT NULL,
    staff_id INTEGER REFERENCES staff (id),
    note TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);

CREATE INDEX article_events_by_article ON article_events (article_id, id);

-- Invitations and password-reset links: an admin never types anyone's password. A link is
-- shown once (only its SHA-256 is kept), works once, for 72 hours, and only for the account it
-- was made for; a new link for an account replaces its unused ones, so there is at most one
-- live link per account. `kind` is 'invite' (a new account, no password yet) or 'reset'.
CREATE TABLE staff_links (
    token_hash TEXT PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    kind TEXT NOT NULL,
    created_by INTEGER REFERENCES staff (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

CREATE INDEX staff_links_by_staff ON staff_links (staff_id);

-- The reviewer's "Waiting for your review" list reads the articles whose newest revision is
-- submitted: few, found by this index however many articles there are.
CREATE INDEX articles_in_review ON articles (submitted_revision_id)
    WHERE submitted_revision_id IS NOT NULL;
