-- Daily counts of 双公示 decisions per agency and kind, kept by triggers in the same statement
-- as the decisions themselves, so table 二 sums a few hundred rows per agency and year instead
-- of counting millions of decisions. Keep in step with ../postgres/0002_decision_days.sql.
CREATE TABLE decision_days (
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    kind       TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (agency_id, kind, decided_on)
) WITHOUT ROWID;

INSERT INTO decision_days (agency_id, kind, decided_on, n)
SELECT agency_id, kind, decided_on, COUNT(*) FROM decisions WHERE true GROUP BY agency_id, kind, decided_on;

CREATE TRIGGER decisions_days_insert AFTER INSERT ON decisions
BEGIN
    INSERT INTO decision_days (agency_id, kind, decided_on, n)
    VALUES (NEW.agency_id, NEW.kind, NEW.decided_on, 1)
    ON CONFLICT (agency_id, kind, decided_on) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER decisions_days_delete AFTER DELETE ON decisions
BEGIN
    UPDATE decision_days SET n = n - 1
    WHERE agency_id = OLD.agency_id AND kind = OLD.kind AND decided_on = OLD.decided_on;
END;

CREATE TRIGGER decisions_days_update AFTER UPDATE OF agency_id, kind, decided_on ON decisions
BEGIN
    UPDATE decision_days SET n = n - 1
    WHERE agency_id = OLD.agency_id AND kind = OLD.kind AND decided_on = OLD.decided_on;
    INSERT INTO decision_days (agency_id, kind, decided_on, n)
    VALUES (NEW.agency_id, NEW.kind, NEW.decided_on, 1)
    ON CONFLICT (agency_id, kind, decided_on) DO UPDATE SET n = n + 1;
END;
