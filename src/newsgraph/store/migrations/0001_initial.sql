-- newsgraph store, schema version 1.
-- Plain SQL with portable types (TEXT, INTEGER); JSON is stored as TEXT.
-- The one SQLite-specific piece is the FTS5 index at the end, which a
-- PostgreSQL migration set would replace with a tsvector column + GIN index.

CREATE TABLE schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL
);

-- One row per distinct body text (id = newsgraph.ids.article_id(text)).
-- seq is a stable integer key (explicit INTEGER PRIMARY KEY, so VACUUM never
-- renumbers it): the FTS index and keyset pagination hang off it.
CREATE TABLE articles (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    title      TEXT,
    outlet     TEXT,
    authors    TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
    published  TEXT,                         -- as extracted (ISO 8601 when known)
    language   TEXT,
    text       TEXT NOT NULL,
    removed    TEXT NOT NULL DEFAULT '[]',   -- JSON array of {"kind", "text"}
    n_chars    INTEGER NOT NULL,
    added_at   TEXT NOT NULL                 -- UTC ISO 8601
);
CREATE INDEX articles_published ON articles (published, seq);
CREATE INDEX articles_outlet ON articles (outlet, published);
CREATE INDEX articles_language ON articles (language, published);

-- Every place an article's text was seen. The same source may carry two
-- different texts (a page edited between two ingests): the pair is unique.
CREATE TABLE sources (
    seq         INTEGER PRIMARY KEY,
    article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    source      TEXT NOT NULL,
    url         TEXT,
    added_at    TEXT NOT NULL,
    UNIQUE (source, article_id)
);
CREATE INDEX sources_article ON sources (article_id, seq);

CREATE TABLE ingest_runs (
    id           INTEGER PRIMARY KEY,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    argv         TEXT NOT NULL DEFAULT '[]',  -- JSON array
    counts       TEXT                         -- JSON object, set by finish_run
);

CREATE TABLE ingest_errors (
    id       INTEGER PRIMARY KEY,
    run_id   INTEGER NOT NULL REFERENCES ingest_runs (id) ON DELETE CASCADE,
    source   TEXT NOT NULL,
    code     TEXT NOT NULL,
    message  TEXT NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX ingest_errors_run ON ingest_errors (run_id, id);

-- Full-text index over title + body, external content (the text is stored
-- once, in articles). Rows are written by the store in the same transaction
-- as the article row. Title weighs 5x the body in BM25.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text,
    content = 'articles', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0)');
