-- What each change of the public content touched (issue 15). The change that moves
-- `app_meta.content_version` to `version` writes, in the same transaction, one row per article
-- whose pages it changed (the slugs it was and is published under), or one row with no slug when
-- it may have changed any page (an import). An instance that sees a new version drops only those
-- articles' pages and the list pages; when rows are missing (pruned), it drops every page.
CREATE TABLE content_changes (
    version BIGINT NOT NULL,
    slug TEXT
);

CREATE INDEX content_changes_version ON content_changes (version);
