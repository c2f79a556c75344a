-- newsgraph store, schema version 12: what an event is about, and mentions of one event.
--
-- object_*: what the event is about when that is a thing, not a party (the proposal rejected, the
-- ceasefire agreed, the action requested: "urged Russia to [withdraw its troops]"); text only,
-- never an entity. same_as: the idx (in the same article) of the earlier event this mention refers
-- back to ("a blast in Lyon ... the explosion"); such a mention is one event told twice, so lists
-- of events leave it out and its article's page shows it beside the event it repeats.
ALTER TABLE events ADD COLUMN object_start INTEGER;
ALTER TABLE events ADD COLUMN object_end INTEGER;
ALTER TABLE events ADD COLUMN object_text TEXT;
ALTER TABLE events ADD COLUMN same_as INTEGER;
