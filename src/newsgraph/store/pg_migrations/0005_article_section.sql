-- newsgraph PostgreSQL store, migration 5 = SQLite's schema 16 (migrations/0016_article_section.sql,
-- which says what the column holds): the section of its outlet an article declares; NULL for the rows
-- stored before.
ALTER TABLE articles ADD COLUMN section ctext;
