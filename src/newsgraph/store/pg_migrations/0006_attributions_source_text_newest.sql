-- newsgraph PostgreSQL store, migration 6 (no SQLite counterpart: an index, no column changes).
-- What sources were called, lower-cased, newest first: quotes by a speaker read each of the
-- speaker's names (attributions_source_entity_newest) and the name as written (this index) as
-- its own newest-first index range, stopping at the page (store.postgres_newest: Newest.quotes).
-- It replaces the plain index on lower(source_text), whose leading column it keeps.
CREATE INDEX attributions_source_text_newest
    ON attributions (lower(source_text), published DESC NULLS LAST, article_seq DESC, idx);
DROP INDEX attributions_source_text_lower;
