-- "Read next" chosen by the editor (issue 31): up to three articles an article suggests at its
-- end, in the editor's order. Like its topics they belong to the revision, so a draft can change
-- them without changing what patients see until that revision is published.
CREATE TABLE revision_read_next (
    revision_id BIGINT NOT NULL REFERENCES revisions (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (revision_id, position)
);

-- A publish or an unpublish finds the articles whose published revision suggests it (their
-- pages change).
CREATE INDEX revision_read_next_article ON revision_read_next (article_id, revision_id);
