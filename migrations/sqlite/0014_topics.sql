-- Topics (issue 31): the clinic's subjects ("How ketamine treatment works"), each with a short
-- description, so patients can browse what the site covers. An article's topics belong to its
-- revision, like its references: a writer's draft can change them without changing what
-- patients see until that revision is published. `version` counts saves (a stale save is
-- refused).
CREATE TABLE topics (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES staff (id)
);

CREATE TABLE revision_topics (
    revision_id INTEGER NOT NULL REFERENCES revisions (id) ON DELETE CASCADE,
    topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    PRIMARY KEY (revision_id, topic_id)
);

-- A topic's articles are found from the topic.
CREATE INDEX revision_topics_topic ON revision_topics (topic_id, revision_id);

INSERT INTO topics (name, slug, description, updated_at) VALUES (
    'How ketamine treatment works',
    'how-ketamine-treatment-works',
    'What ketamine does in the brain, and why it can help with depression, anxiety and PTSD.',
    CURRENT_TIMESTAMP
);

-- An installation that already has the seed article: its revisions join the topic (a new one
-- gets it from the seed file's front matter).
INSERT INTO revision_topics (revision_id, topic_id)
SELECT r.id, t.id FROM revisions r
JOIN articles a ON a.id = r.article_id
JOIN topics t ON t.slug = 'how-ketamine-treatment-works'
WHERE a.slug = 'ketamine-and-brain-plasticity';
