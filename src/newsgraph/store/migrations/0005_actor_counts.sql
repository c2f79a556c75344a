-- newsgraph store, schema version 5: counts kept on each actor and dates on its links,
-- so the registry's listings and timelines read an index instead of aggregating
-- over every article (bench/serve.py, 100,000 articles).

ALTER TABLE actors ADD COLUMN n_articles INTEGER NOT NULL DEFAULT 0;
ALTER TABLE actors ADD COLUMN n_mentions INTEGER NOT NULL DEFAULT 0;
UPDATE actors SET
    n_articles = (SELECT COUNT(DISTINCT e.article_id) FROM article_entities e WHERE e.actor_key = actors.key),
    n_mentions = (SELECT COALESCE(SUM(e.n_mentions), 0) FROM article_entities e WHERE e.actor_key = actors.key);
CREATE INDEX actors_rank ON actors (n_articles DESC, n_mentions DESC);
CREATE INDEX actors_type_rank ON actors (type, n_articles DESC, n_mentions DESC);

ALTER TABLE article_entities ADD COLUMN published TEXT;   -- the article's date, for per-actor timelines
UPDATE article_entities SET published = (SELECT a.published FROM articles a WHERE a.id = article_entities.article_id);
CREATE INDEX article_entities_actor_published ON article_entities (actor_key, published);

CREATE INDEX attributions_article_idx ON attributions (article_id, idx);

-- Exact-name lookups (IN lists of an actor's names) need indexes in the default collation.
CREATE INDEX attributions_source_entity_exact ON attributions (source_entity);
CREATE INDEX events_actor_exact ON events (actor_entity);
CREATE INDEX events_target_exact ON events (target_entity);
