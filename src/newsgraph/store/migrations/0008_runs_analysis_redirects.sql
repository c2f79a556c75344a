-- newsgraph store, schema version 8: what a run became, which analysis each article has,
-- and where an actor's old key now points.

-- A run is 'running' until it ends: 'finished', or 'interrupted' (SIGTERM, Ctrl-C, an
-- error that stopped it, or a process that died: the next open of the store on the
-- same host finds its pid gone and marks it). pid_start (the process's start time)
-- tells a reused pid from the run's own process.
ALTER TABLE ingest_runs ADD COLUMN status TEXT NOT NULL DEFAULT 'finished';
ALTER TABLE ingest_runs ADD COLUMN host TEXT;
ALTER TABLE ingest_runs ADD COLUMN pid INTEGER;
ALTER TABLE ingest_runs ADD COLUMN pid_start TEXT;
UPDATE ingest_runs SET status = 'interrupted' WHERE finished_at IS NULL;
CREATE INDEX ingest_runs_running ON ingest_runs (status) WHERE status = 'running';

-- The analysis that filled an article's attributions, entities and events
-- (newsgraph.analyze.version.analysis_version()); NULL = stored without analysis.
-- Articles stored before this version with any analysis rows count as analysed
-- ('unversioned'); the others are analysed by the next analysing ingest of their
-- source or by `newsgraph analyze --store`.
ALTER TABLE articles ADD COLUMN analysis TEXT;
UPDATE articles SET analysis = 'unversioned'
 WHERE EXISTS (SELECT 1 FROM attributions t WHERE t.article_id = articles.id)
    OR EXISTS (SELECT 1 FROM article_entities e WHERE e.article_id = articles.id)
    OR EXISTS (SELECT 1 FROM events v WHERE v.article_id = articles.id);
CREATE INDEX articles_unanalysed ON articles (seq) WHERE analysis IS NULL;

-- An actor key that no longer exists (merged into another, or split off and back)
-- and the key that now holds its names: old links keep working.
CREATE TABLE actor_redirects (
    old_key  TEXT PRIMARY KEY,
    new_key  TEXT NOT NULL,
    at       TEXT NOT NULL
) WITHOUT ROWID;

-- Search facets (newsgraph.store.facets): each article's outlet, language and date, read in seq
-- order into memory once per process (a narrow scan, not one of the table of full texts).
CREATE INDEX articles_facets ON articles (seq, outlet, language, published);
