-- newsgraph PostgreSQL store, migration 4 (no SQLite counterpart: storage only, no column changes).
-- An article's big values (text, tsv, analysis ...) go to TOAST, so its heap row holds only the
-- short columns (~300 bytes instead of ~2 KB). A search checks its GIN matches against the heap
-- (visibility; a bitmap heap scan visits every page holding a match): a common word matches half
-- the articles, which were on ~all of ~25,000 heap pages of the 100,000-article bench store,
-- and are now on ~3,000 (bench/RESULTS.md, serve_postgres; store.postgres_fts). Reading one
-- article's text detoasts it, as it did for any text over ~2 KB before.
-- Rows stored before this migration keep their layout until rewritten (VACUUM FULL articles,
-- outside a transaction, or newsgraph copy into a new store); both layouts read the same.
ALTER TABLE articles SET (toast_tuple_target = 128);
