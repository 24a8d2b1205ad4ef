-- Daily counts of 双公示 decisions per agency and kind, kept by triggers in the same statement
-- as the decisions themselves, so table 二 sums a few hundred rows per agency and year instead
-- of counting millions of decisions (a province holds tens of millions).
CREATE TABLE decision_days (
    agency_id  BIGINT NOT NULL REFERENCES agencies(id),
    kind       TEXT NOT NULL,
    decided_on DATE NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (agency_id, kind, decided_on)
);

INSERT INTO decision_days (agency_id, kind, decided_on, n)
SELECT agency_id, kind, decided_on, COUNT(*) FROM decisions GROUP BY agency_id, kind, decided_on;

CREATE FUNCTION decision_days_add() RETURNS trigger AS $$
BEGIN
    INSERT INTO decision_days (agency_id, kind, decided_on, n)
    SELECT agency_id, kind, decided_on, COUNT(*) FROM new_rows GROUP BY agency_id, kind, decided_on
    ON CONFLICT (agency_id, kind, decided_on) DO UPDATE SET n = decision_days.n + EXCLUDED.n;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION decision_days_remove() RETURNS trigger AS $$
BEGIN
    UPDATE decision_days d SET n = d.n - o.n
    FROM (SELECT agency_id, kind, decided_on, COUNT(*) AS n FROM old_rows
          GROUP BY agency_id, kind, decided_on) o
    WHERE d.agency_id = o.agency_id AND d.kind = o.kind AND d.decided_on = o.decided_on;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION decision_days_move() RETURNS trigger AS $$
BEGIN
    UPDATE decision_days d SET n = d.n - o.n
    FROM (SELECT agency_id, kind, decided_on, COUNT(*) AS n FROM old_rows
          GROUP BY agency_id, kind, decided_on) o
    WHERE d.agency_id = o.agency_id AND d.kind = o.kind AND d.decided_on = o.decided_on;
    INSERT INTO decision_days (agency_id, kind, decided_on, n)
    SELECT agency_id, kind, decided_on, COUNT(*) FROM new_rows GROUP BY agency_id, kind, decided_on
    ON CONFLICT (agency_id, kind, decided_on) DO UPDATE SET n = decision_days.n + EXCLUDED.n;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER decisions_days_insert AFTER INSERT ON decisions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION decision_days_add();
CREATE TRIGGER decisions_days_delete AFTER DELETE ON decisions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION decision_days_remove();
CREATE TRIGGER decisions_days_update AFTER UPDATE ON decisions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION decision_days_move();
