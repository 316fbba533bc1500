-- The public address of an article changes only when a revision is published (issue 12): each
-- revision records the slug it proposes, `articles.slug` stays the address patients use, and an
-- address an article was published under and has left redirects (301) to it for good.
ALTER TABLE revisions ADD COLUMN slug TEXT;

UPDATE revisions SET slug = (SELECT a.slug FROM articles a WHERE a.id = revisions.article_id);

CREATE TABLE slug_redirects (
    slug TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id)
);
