-- Supervision (监督保障): 责任追究 cases and quarterly 通报表扬 (SQLite). Keep in step with
-- ../postgres/0180_supervision.sql: same tables, same columns, same constraints.

-- One accountability case: the unit concerned (agency_id), the role of the person held to
-- account (no names: the report and the back office need none), the reason and the measure.
CREATE TABLE accountability_cases (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    decided_on  TEXT NOT NULL,
    person_role TEXT NOT NULL,
    reason      TEXT NOT NULL,
    measure     TEXT NOT NULL,
    UNIQUE (agency_id, decided_on, person_role, reason)
);
CREATE INDEX accountability_cases_date ON accountability_cases(decided_on);

-- A unit commended (通报表扬) by an issuing agency for a quarter, confirmed by a head.
CREATE TABLE commendations (
    id           INTEGER PRIMARY KEY,
    issuer_id    INTEGER NOT NULL REFERENCES agencies(id),
    year         INTEGER NOT NULL,
    quarter      INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    unit_id      INTEGER NOT NULL REFERENCES agencies(id),
    confirmed_by TEXT NOT NULL,
    confirmed_on TEXT NOT NULL,
    UNIQUE (issuer_id, year, quarter, unit_id)
);
