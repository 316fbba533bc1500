-- Clinical governance (issue 14): an article shows review dates only when a named clinician
-- approved it; each article has its own review interval; reviewers' acknowledgements of
-- warnings, their requests for changes and their reference checks are kept with the revision.

-- Dates that no reviewer recorded (the seed's, from its file) were never a clinical review.
UPDATE articles SET last_reviewed = NULL, next_review_due = NULL WHERE reviewer_name IS NULL;

-- Months until a published article is due for review again: 3, 6, 12 or 24.
ALTER TABLE articles ADD COLUMN review_interval_months INTEGER NOT NULL DEFAULT 12
    CHECK (review_interval_months IN (3, 6, 12, 24));

-- A reviewer's reason for publishing with a warning open, one per finding of a revision.
CREATE TABLE review_acknowledgements (
    revision_id INTEGER NOT NULL REFERENCES revisions (id),
    finding_key TEXT NOT NULL,
    -- The finding as the reviewer saw it ("A promise of cure…: "cures"." and its sentence).
    finding TEXT NOT NULL,
    reason TEXT NOT NULL,
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    at TEXT NOT NULL,
    PRIMARY KEY (revision_id, finding_key)
);

-- A reviewer's request for changes: a note on a revision, optionally quoting a passage. Open
-- until a reviewer marks it resolved.
CREATE TABLE review_notes (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id),
    revision_id INTEGER NOT NULL REFERENCES revisions (id),
    quote TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL,
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    at TEXT NOT NULL,
    resolved_by INTEGER REFERENCES staff (id),
    resolved_at TEXT
);

CREATE INDEX review_notes_by_article ON review_notes (article_id, id);

-- The references a reviewer checked when approving a revision (by position, with its title as
-- it was).
CREATE TABLE reference_checks (
    revision_id INTEGER NOT NULL REFERENCES revisions (id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    at TEXT NOT NULL,
    PRIMARY KEY (revision_id, position)
);
