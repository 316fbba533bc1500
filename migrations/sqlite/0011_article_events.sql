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
