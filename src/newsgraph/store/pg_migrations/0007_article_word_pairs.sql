-- newsgraph PostgreSQL store, migration 7 (no SQLite counterpart: FTS5 keeps positions in its index).
-- Each article's adjacent word pairs, so a phrase search is answered by an index: the GIN index on
-- ``tsv`` has no positions, so "Meridan rejected" had to read the tsvector (TOAST) of every article
-- holding both words to check they stand side by side (1,827 of the first 3,000 bench articles for
-- 177 that do). ``pairs`` holds one lexeme per pair of lexemes at adjacent positions of ``tsv``
-- ("meridan reject"), so every article ``tsv @@ 'meridan' <-> 'reject'`` matches has the pair,
-- and nearly only those (store.postgres_fts: a phrase's pairs are a prefilter; the tsvector is
-- still checked, now for a few candidates). Generated from ``tsv``: every write path keeps it.
-- Cost: ~1 ms per article to build (the 100,000-article bench store: a few minutes once), ~1.5 KB
-- per article (TOAST, compressed: toast_tuple_target of 0004) and its GIN index.
CREATE FUNCTION newsgraph_word_pairs(v tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT COALESCE(array_to_tsvector(array_agg(DISTINCT w.lexeme || ' ' || w.next)), ''::tsvector)
    FROM (SELECT u.lexeme, p, lead(u.lexeme) OVER (ORDER BY p) AS next, lead(p) OVER (ORDER BY p) AS np
          FROM unnest(v) AS u, unnest(u.positions) AS p) AS w
    WHERE w.np = w.p + 1
$$;
-- The pairs of a phrase as the articles of configuration ``cfg`` hold them, all required
-- (``'a b' & 'b c'``); NULL when the phrase has no adjacent pair (one word, or stop words between).
CREATE FUNCTION newsgraph_phrase_pairs(cfg regconfig, phrase text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT NULLIF(array_to_string(ARRAY(
        SELECT '''' || replace(replace(l, '\', '\\'), '''', '''''') || ''''
        FROM unnest(tsvector_to_array(newsgraph_word_pairs(to_tsvector(cfg, phrase)))) AS l), ' & '), '')::tsquery
$$;
ALTER TABLE articles ADD COLUMN pairs tsvector GENERATED ALWAYS AS (newsgraph_word_pairs(tsv)) STORED;
CREATE INDEX articles_pairs ON articles USING gin (pairs);
