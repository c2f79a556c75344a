-- newsgraph store, schema version 6: the sort key of "newest first" lists kept on the
-- rows themselves, so a speaker's newest quotes or an actor's newest events are read
-- in order from an index and the read stops after one page. Before this, the order
-- came from the joined article and every matching row had to be sorted first
-- (a speaker quoted 90,000 times cost ~120 ms per page on bench/serve.py's store).
--
-- attributions: published (the article's date), article_seq (the article's rowid).
-- events: sort_date (the event's own date, else its article's), article_seq, week.
-- Newest first is "published DESC, article_seq DESC, idx": NULLs sort last in a
-- DESC order in SQLite, so undated articles come after dated ones, as before.

ALTER TABLE attributions ADD COLUMN published TEXT;
ALTER TABLE attributions ADD COLUMN article_seq INTEGER;
UPDATE attributions SET (published, article_seq) =
    (SELECT a.published, a.seq FROM articles a WHERE a.id = attributions.article_id);

ALTER TABLE events ADD COLUMN sort_date TEXT;
ALTER TABLE events ADD COLUMN article_seq INTEGER;
ALTER TABLE events ADD COLUMN week TEXT;   -- Monday of the ISO week of sort_date (newsgraph.weeks.week_start)
UPDATE events SET (sort_date, article_seq) =
    (SELECT COALESCE(events.date, a.published), a.seq FROM articles a WHERE a.id = events.article_id);
UPDATE events SET week = date(substr(sort_date, 1, 10), 'weekday 0', '-6 days');

DROP INDEX IF EXISTS attributions_source_entity_exact;
DROP INDEX IF EXISTS events_actor_exact;
DROP INDEX IF EXISTS events_target_exact;

CREATE INDEX attributions_newest ON attributions (published DESC, article_seq DESC, idx);
CREATE INDEX attributions_source_entity_newest
    ON attributions (source_entity, published DESC, article_seq DESC, idx);
CREATE INDEX attributions_source_text_newest
    ON attributions (source_text COLLATE NOCASE, published DESC, article_seq DESC, idx);

DROP INDEX IF EXISTS events_type;
CREATE INDEX events_newest ON events (sort_date DESC, article_seq DESC, idx);
CREATE INDEX events_type_newest ON events (type, sort_date DESC, article_seq DESC, idx);
CREATE INDEX events_actor_newest ON events (actor_entity, sort_date DESC, article_seq DESC, idx);
CREATE INDEX events_target_newest ON events (target_entity, sort_date DESC, article_seq DESC, idx);
CREATE INDEX events_pair_newest ON events (actor_entity, target_entity, sort_date DESC, article_seq DESC, idx);
-- A dyad's weekly table: events counted per (actor, target, week, type) as they are stored,
-- so reading it costs the number of weeks and types, not of events (two countries at
-- odds for a year can have tens of thousands). Only events whose both sides resolved.
CREATE TABLE dyad_weeks (
    actor_entity   TEXT NOT NULL,
    target_entity  TEXT NOT NULL,
    week           TEXT,                -- Monday of the ISO week; NULL when undated
    type           TEXT NOT NULL,
    n              INTEGER NOT NULL,
    negated        INTEGER NOT NULL,    -- of n, negated
    planned        INTEGER NOT NULL,    -- of n, not negated and planned
    conditional    INTEGER NOT NULL,    -- of n, not negated and conditional
    reported       INTEGER NOT NULL     -- of n, reported inside a statement
);
CREATE UNIQUE INDEX dyad_weeks_key ON dyad_weeks (actor_entity, target_entity, COALESCE(week, ''), type);
INSERT INTO dyad_weeks
    SELECT actor_entity, target_entity, week, type, COUNT(*), SUM(negated),
           SUM(NOT negated AND modality = 'planned'), SUM(NOT negated AND modality = 'conditional'),
           SUM(modality = 'reported')
    FROM events WHERE actor_entity IS NOT NULL AND target_entity IS NOT NULL
    GROUP BY actor_entity, target_entity, week, type;

-- Co-occurring actors: the actors linked to a given set of articles.
CREATE INDEX article_entities_article_actor ON article_entities (article_id, actor_key);

-- How many attributions each resolved speaker name has, kept as they are stored:
-- "most-quoted speakers" sums it over each actor's names (merges and splits apply at once).
CREATE TABLE speaker_counts (
    name  TEXT PRIMARY KEY,
    n     INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO speaker_counts
    SELECT source_entity, COUNT(*) FROM attributions WHERE source_entity IS NOT NULL GROUP BY source_entity;
CREATE INDEX actor_aliases_alias ON actor_aliases (alias);

-- An actor's timeline: per name and ISO week (its Monday), the articles naming it, its
-- mentions and the attributions to it, kept as rows are stored and summed over the
-- actor's names when read. Undated articles have no week and are left out.
CREATE TABLE name_weeks (
    name      TEXT NOT NULL,
    week      TEXT NOT NULL,
    articles  INTEGER NOT NULL,
    mentions  INTEGER NOT NULL,
    quotes    INTEGER NOT NULL,
    PRIMARY KEY (name, week)
) WITHOUT ROWID;
INSERT INTO name_weeks
    SELECT name, date(substr(published, 1, 10), 'weekday 0', '-6 days') AS week, COUNT(*), SUM(n_mentions), 0
    FROM article_entities WHERE week IS NOT NULL GROUP BY name, week;
INSERT INTO name_weeks
    SELECT source_entity, date(substr(published, 1, 10), 'weekday 0', '-6 days') AS week, 0, 0, COUNT(*)
    FROM attributions WHERE source_entity IS NOT NULL AND week IS NOT NULL GROUP BY source_entity, week
    ON CONFLICT (name, week) DO UPDATE SET quotes = excluded.quotes;
