-- newsgraph store, schema version 15: an article's sub-heads and what kind of page it came from.
--
-- articles: headings are the sub-heads the page marked as headings, as JSON text of (start, end)
-- character spans of `text` ([[120, 141], [480, 488]]: each a whole line of it; '[]' for none, as
-- for plain-text inputs); page_kind is what the page was (article, live_blog:
-- newsgraph.extract.page_kinds).
--
-- Rows stored before this version keep NULL in both: no headings were recorded (the text shows as
-- paragraphs), and the page's kind is unknown.
ALTER TABLE articles ADD COLUMN headings TEXT;
ALTER TABLE articles ADD COLUMN page_kind TEXT;
