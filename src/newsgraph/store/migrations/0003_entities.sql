-- newsgraph store, schema version 3: entities per article and the cross-article actor registry.

-- One registry of actors: a person, organisation or place across all articles.
CREATE TABLE actors (
    key         TEXT PRIMARY KEY,      -- stable: "<type>:<slug of the first canonical name>"
    name        TEXT NOT NULL,         -- the display name (fullest seen)
    type        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX actors_name ON actors (name COLLATE NOCASE);

-- Every spelling an actor goes by; norm is newsgraph.registry.normalise_name(alias).
CREATE TABLE actor_aliases (
    actor_key  TEXT NOT NULL REFERENCES actors (key) ON DELETE CASCADE,
    alias      TEXT NOT NULL,
    norm       TEXT NOT NULL,
    UNIQUE (actor_key, alias)
);
CREATE INDEX actor_aliases_norm ON actor_aliases (norm);

-- Blocking keys (newsgraph.registry.name_keys) for candidate lookup.
CREATE TABLE actor_keys (
    actor_key  TEXT NOT NULL REFERENCES actors (key) ON DELETE CASCADE,
    block      TEXT NOT NULL,
    UNIQUE (actor_key, block)
);
CREATE INDEX actor_keys_block ON actor_keys (block);

-- The entities of each article (as the analysis found them) and the actor each links to.
CREATE TABLE article_entities (
    seq         INTEGER PRIMARY KEY,
    article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id   TEXT NOT NULL,         -- the article-local id ("person:vladimir-putin")
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    mentions    TEXT NOT NULL,         -- JSON [[start, end], ...] into articles.text
    n_mentions  INTEGER NOT NULL,
    actor_key   TEXT REFERENCES actors (key) ON DELETE SET NULL,
    UNIQUE (article_id, entity_id)
);
CREATE INDEX article_entities_actor ON article_entities (actor_key, article_id);

-- Users' corrections ("A is B", "A is not B"); they win over automatic linking
-- and are replayed when articles are analysed again.
CREATE TABLE corrections (
    seq  INTEGER PRIMARY KEY,
    op   TEXT NOT NULL,                -- JSON, one newsgraph.registry.Corrections operation
    at   TEXT NOT NULL
);
