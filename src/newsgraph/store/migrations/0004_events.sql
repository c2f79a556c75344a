-- newsgraph store, schema version 4: events (who did what to whom, PLOVER-typed).
-- Spans are character offsets into articles.text; entity columns hold the
-- article-level canonical names (the same names article_entities uses).

CREATE TABLE events (
    seq              INTEGER PRIMARY KEY,
    article_id       TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx              INTEGER NOT NULL,
    type             TEXT NOT NULL,            -- PLOVER: AGREE, CONSULT, ... ASSAULT
    trigger_start    INTEGER NOT NULL,
    trigger_end      INTEGER NOT NULL,
    trigger_text     TEXT NOT NULL,
    actor_start      INTEGER,
    actor_end        INTEGER,
    actor_text       TEXT,
    actor_entity     TEXT,
    target_start     INTEGER,
    target_end       INTEGER,
    target_text      TEXT,
    target_entity    TEXT,
    negated          INTEGER NOT NULL DEFAULT 0,
    modality         TEXT NOT NULL,            -- asserted | planned | conditional | reported
    date             TEXT,                     -- YYYY-MM-DD when known
    location_start   INTEGER,
    location_end     INTEGER,
    location_text    TEXT,
    location_entity  TEXT,
    attribution      INTEGER,                  -- idx of the attribution it was reported in
    UNIQUE (article_id, idx)
);
CREATE INDEX events_actor ON events (actor_entity COLLATE NOCASE);
CREATE INDEX events_target ON events (target_entity COLLATE NOCASE);
CREATE INDEX events_type ON events (type, date);
