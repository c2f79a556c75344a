-- newsgraph store, schema version 2: attributions (who said what, according to whom).
-- One row per attribution; every span is a pair of character offsets into
-- articles.text (Python str indices) plus its text, so a row can be checked
-- against the article without re-running the analysis.

CREATE TABLE attributions (
    seq            INTEGER PRIMARY KEY,
    article_id     TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx            INTEGER NOT NULL,              -- order within the article
    kind           TEXT NOT NULL,                 -- direct | indirect | mixed
    content_start  INTEGER NOT NULL,
    content_end    INTEGER NOT NULL,
    content_text   TEXT NOT NULL,
    content_spans  TEXT NOT NULL DEFAULT '[]',    -- JSON [[start, end], ...] when discontinuous
    cue_start      INTEGER,
    cue_end        INTEGER,
    cue_text       TEXT,
    source_start   INTEGER,
    source_end     INTEGER,
    source_text    TEXT,
    source_entity  TEXT,                          -- canonical name, when resolved
    via_start      INTEGER,
    via_end        INTEGER,
    via_text       TEXT,
    via_entity     TEXT,
    confidence     REAL NOT NULL DEFAULT 1.0,
    UNIQUE (article_id, idx)
);
CREATE INDEX attributions_source_entity ON attributions (source_entity COLLATE NOCASE);
CREATE INDEX attributions_source_text ON attributions (source_text COLLATE NOCASE);

-- Full-text index over what was said, for `quotes --about`.
CREATE VIRTUAL TABLE attributions_fts USING fts5 (
    content_text,
    content = 'attributions', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);
