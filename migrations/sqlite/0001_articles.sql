-- Articles and their revisions. An article is a slug and a status; its words live in revisions,
-- and publishing points the article at one revision, so editing never touches what is live and
-- publishing never destroys history.

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'in_review', 'published', 'archived')),
    -- The revision patients see; NULL until first published.
    published_revision_id INTEGER REFERENCES revisions (id),
    published_at TEXT,
    last_reviewed TEXT,
    next_review_due TEXT,
    created_at TEXT NOT NULL,
    CHECK (status <> 'published' OR published_revision_id IS NOT NULL)
);

CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    author_name TEXT NOT NULL,
    author_credentials TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE INDEX revisions_by_article ON revisions (article_id, id);

CREATE TABLE revision_references (
    revision_id INTEGER NOT NULL REFERENCES revisions (id),
    position INTEGER NOT NULL,
    authors TEXT NOT NULL,
    year TEXT NOT NULL,
    title TEXT NOT NULL,
    journal TEXT NOT NULL,
    volume TEXT,
    issue TEXT,
    pages TEXT,
    doi TEXT,
    PRIMARY KEY (revision_id, position)
);

CREATE INDEX articles_published ON articles (status, published_at DESC, id DESC);

-- One-off facts about this installation, such as when the seed article was loaded.
CREATE TABLE app_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
