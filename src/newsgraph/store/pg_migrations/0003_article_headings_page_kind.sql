-- newsgraph PostgreSQL store, migration 3 = SQLite's schema 15 (migrations/0015_article_headings_page_kind.sql,
-- which says what each column holds): an article's sub-heads (JSON [[start, end], ...] of `text`) and
-- its page's kind; NULL in both for the rows stored before.
ALTER TABLE articles ADD COLUMN headings ctext;
ALTER TABLE articles ADD COLUMN page_kind ctext;
