-- newsgraph store, schema version 7: story signatures, so the same (wire) story run by
-- several outlets is found in a few indexed lookups (newsgraph.stories).
-- Articles stored before this version are signed by newsgraph.store.sqlite right after
-- these statements, in the same transaction.

CREATE TABLE story_signatures (
    article_seq  INTEGER PRIMARY KEY REFERENCES articles (seq) ON DELETE CASCADE,
    sig          BLOB NOT NULL                -- 64 little-endian uint32 MinHash values
);

CREATE TABLE story_bands (
    band         INTEGER NOT NULL,            -- 0..20
    key          INTEGER NOT NULL,            -- CRC32 of the band's 3 values
    article_seq  INTEGER NOT NULL,
    PRIMARY KEY (band, key, article_seq)
) WITHOUT ROWID;
