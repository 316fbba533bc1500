-- The staff dashboard's order, as an index: never reviewed first (SQLite sorts NULL first), then
-- the soonest review due (the review standings are ranges of that date, so this is also their
-- order), archived articles last, the newest edit first. A page of the dashboard reads 50
-- entries of it instead of sorting every article.
CREATE INDEX articles_dashboard ON articles
    (next_review_due, status = 'archived', head_revision_id DESC, id DESC);
