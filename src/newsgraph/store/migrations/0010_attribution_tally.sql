-- newsgraph store, schema version 10: a running tally of attributions by what views filter on.
--
-- Views list statements that are not negated and clear a confidence threshold, and say how
-- many records they hide (store.quote_counts). Over the whole store that count read every
-- attribution (30 ms per 20,000 articles); this table keeps one row per (kind, statement,
-- negated, confidence) with its number of attributions, kept exact by triggers on every
-- insert, delete and update of those columns, so the unfiltered counts read a few hundred rows.
-- Filtered counts (speaker, topic, outlet, dates) still read the rows their filter selects.
CREATE TABLE attribution_tally (
    kind        TEXT NOT NULL,
    statement   INTEGER NOT NULL,
    negated     INTEGER NOT NULL,
    confidence  REAL NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (kind, statement, negated, confidence)
) WITHOUT ROWID;

INSERT INTO attribution_tally (kind, statement, negated, confidence, n)
SELECT kind, statement, negated, confidence, COUNT(*) FROM attributions GROUP BY 1, 2, 3, 4;

CREATE TRIGGER attributions_tally_insert AFTER INSERT ON attributions BEGIN
    INSERT INTO attribution_tally (kind, statement, negated, confidence, n)
    VALUES (NEW.kind, NEW.statement, NEW.negated, NEW.confidence, 1)
    ON CONFLICT (kind, statement, negated, confidence) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER attributions_tally_delete AFTER DELETE ON attributions BEGIN
    UPDATE attribution_tally SET n = n - 1
     WHERE kind = OLD.kind AND statement = OLD.statement AND negated = OLD.negated
       AND confidence = OLD.confidence;
END;

CREATE TRIGGER attributions_tally_update AFTER UPDATE OF kind, statement, negated, confidence ON attributions
BEGIN
    UPDATE attribution_tally SET n = n - 1
     WHERE kind = OLD.kind AND statement = OLD.statement AND negated = OLD.negated
       AND confidence = OLD.confidence;
    INSERT INTO attribution_tally (kind, statement, negated, confidence, n)
    VALUES (NEW.kind, NEW.statement, NEW.negated, NEW.confidence, 1)
    ON CONFLICT (kind, statement, negated, confidence) DO UPDATE SET n = n + 1;
END;
