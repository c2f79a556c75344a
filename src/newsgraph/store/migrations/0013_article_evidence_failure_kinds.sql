-- newsgraph store, schema version 13: what a date rests on, who the byline credits, what a refused page was.
--
-- articles: published_source says which evidence gave `published` (json_ld, meta, url, time, markup,
-- text, feed, record ...: the keys of newsgraph.extract.dates.SOURCE_CONFIDENCE) and
-- published_confidence (0..1) how far to trust it; modified is the page's last-modified day, never
-- used as published; credits are the organisations and wire services the byline names, apart from
-- the people in authors, as JSON text ([{"wire": "AP"}]).
-- ingest_errors: a page refused as not an article keeps its kind (index, paywall,
-- consent_or_bot_wall, error_page, other ...: newsgraph.extract.page_kinds), title, url and day.
--
-- Rows stored before this version keep NULL in every new column: their evidence was never
-- recorded, and views show nothing rather than a guess.
ALTER TABLE articles ADD COLUMN published_source TEXT;
ALTER TABLE articles ADD COLUMN published_confidence REAL;
ALTER TABLE articles ADD COLUMN modified TEXT;
ALTER TABLE articles ADD COLUMN credits TEXT;
ALTER TABLE ingest_errors ADD COLUMN kind TEXT;
ALTER TABLE ingest_errors ADD COLUMN title TEXT;
ALTER TABLE ingest_errors ADD COLUMN url TEXT;
ALTER TABLE ingest_errors ADD COLUMN published TEXT;
