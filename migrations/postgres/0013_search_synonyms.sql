-- Search synonyms (issue 31): words patients type that mean what the articles say another way
-- ("Spravato" for "esketamine"). One list for the clinic, kept as its admins write it: a group
-- a line, its entries separated by commas. `version` counts saves, so two admins editing it
-- at once find out (a stale save is refused). One row, always.
CREATE TABLE search_synonyms (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    list TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by BIGINT REFERENCES staff (id)
);

INSERT INTO search_synonyms (id, list, updated_at) VALUES (1, 'ketamine, Ketalar
esketamine, Spravato
PTSD, post-traumatic stress, post-traumatic stress disorder
depression, major depressive disorder
treatment-resistant depression, TRD', CURRENT_TIMESTAMP);
