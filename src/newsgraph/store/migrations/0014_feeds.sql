-- newsgraph store, schema version 14: the feeds `newsgraph watch` follows, and saved alerts.
--
-- feeds: one row per followed feed (its URL as given). Its poll state: the validators of its last
-- 200 response (etag, last_modified: sent back as If-None-Match / If-Modified-Since), when it is
-- due next (next_poll_at; NULL: now), its last poll, success and error (code and one-line reason),
-- errors_in_a_row (the backoff's exponent) and running counts of entries seen and articles stored.
-- Every time is UTC ISO 8601 as newsgraph.store.values.now() writes it, so text order is time order.
-- feed_items: what the watcher knows of each entry it met in a feed: a fingerprint of the entry
-- (an edited entry has another one and is read once more), the outcome of its last reading
-- ('new', 'new_source', 'duplicate', 'analysed', 'stored' = in the store already, or a failure code),
-- attempts, the entry's own date (dated_at) and when its article was stored (ingested_at): the feed's
-- health (items per day, delay from an item's date to its ingest) is computed from these.
-- alerts / alert_hits: saved searches (filters as JSON) and what each matched, once per thing
-- matched (UNIQUE alert, kind, ref); last_seq is how far through the articles an alert has looked.
-- An alert with a webhook (URL, and the secret its HMAC-SHA256 signatures use) has each hit POSTed:
-- delivery is NULL (none due), 'pending', 'delivered' or 'failed' (given up after the retries), with
-- attempts, next_try_at and the last error's one-line reason.
CREATE TABLE feeds (
    url                 TEXT PRIMARY KEY,
    title               TEXT,
    added_at            TEXT NOT NULL,
    etag                TEXT,
    last_modified       TEXT,
    next_poll_at        TEXT,
    last_poll_at        TEXT,
    last_success_at     TEXT,
    last_error_at       TEXT,
    last_error_code     TEXT,
    last_error          TEXT,
    errors_in_a_row     INTEGER NOT NULL DEFAULT 0,
    items_seen          INTEGER NOT NULL DEFAULT 0,
    items_ingested      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX feeds_due ON feeds (next_poll_at);

CREATE TABLE feed_items (
    feed_url     TEXT NOT NULL REFERENCES feeds (url) ON DELETE CASCADE,
    link         TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 1,
    dated_at     TEXT,
    seen_at      TEXT NOT NULL,
    ingested_at  TEXT,
    PRIMARY KEY (feed_url, link)
);
CREATE INDEX feed_items_ingested ON feed_items (feed_url, ingested_at);

CREATE TABLE alerts (
    name        TEXT PRIMARY KEY,
    filters     TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL,
    last_seq    INTEGER NOT NULL DEFAULT 0,
    webhook     TEXT,
    secret      TEXT
);

CREATE TABLE alert_hits (
    seq         INTEGER PRIMARY KEY,
    alert       TEXT NOT NULL REFERENCES alerts (name) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    ref         TEXT NOT NULL,
    article_id  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    delivery    TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_try_at TEXT,
    last_error  TEXT,
    UNIQUE (alert, kind, ref)
);
CREATE INDEX alert_hits_newest ON alert_hits (alert, seq);
CREATE INDEX alert_hits_due ON alert_hits (next_try_at) WHERE delivery = 'pending';
