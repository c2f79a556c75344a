-- newsgraph store, schema version 11: when an event happened, as the article tells it.
--
-- timing: 'new' (reported as happening now), 'background' (an earlier event recalled: "when
-- Russia launched its invasion", "had seized", "in 1967"), 'future'; date_from: how the event's
-- own date was found ('explicit', 'relative', 'article' = none, the article's date applies; NULL
-- for a background or future event without a date of its own). Such an event is not placed in a
-- week (events.week and dyad_weeks use its own date, else the article's only when it is new), so
-- old wars do not land in the article's week. Rows stored before this version are taken as new.
ALTER TABLE events ADD COLUMN timing TEXT NOT NULL DEFAULT 'new';
ALTER TABLE events ADD COLUMN date_from TEXT;
