-- newsgraph store, schema version 16: the section of its outlet an article declares it belongs to.
--
-- articles: section is the page's own section name (`article:section`, JSON-LD `articleSection`,
-- else the breadcrumb's last item above the article; a plain text's "Title – Outlet – Section"
-- first line): "Politics", "Business". NULL when the page names none, and for rows stored before
-- this version (not recorded).
ALTER TABLE articles ADD COLUMN section TEXT;
