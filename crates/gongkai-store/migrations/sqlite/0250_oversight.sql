-- The superior office's workbench (上级政务公开办, 下级年报审查), SQLite. Keep in step with
-- ../postgres/0250_oversight.sql: same tables, same columns, same constraints.

-- Units outside the store's agency tree that report to the superior (registered by name and
-- level; `parent_name` places them in the region tree; `summary` = its report sums its units).
CREATE TABLE oversight_units (
    id          INTEGER PRIMARY KEY,
    superior_id INTEGER NOT NULL REFERENCES agencies(id),
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    parent_name TEXT,
    summary     INTEGER NOT NULL DEFAULT 0,
    added_by    TEXT NOT NULL,
    added_at    INTEGER NOT NULL,
    UNIQUE (superior_id, name)
);

-- One report per unit and year as the superior holds it: imported from a file (the source
-- kept in `source`) or copied from a report published in Gongkai. `cells_hash` is the SHA-256
-- of the report's tables (canonical JSON without prose): decisions on its findings hold while
-- it stays the same. `findings_json` holds what reading and checking the report found;
-- `cross_json` what comparing it with the unit's report of the year before found.
CREATE TABLE oversight_reports (
    id            INTEGER PRIMARY KEY,
    superior_id   INTEGER NOT NULL REFERENCES agencies(id),
    year          INTEGER NOT NULL,
    unit_name     TEXT NOT NULL,
    origin        TEXT NOT NULL CHECK (origin IN ('import','gongkai')),
    file_name     TEXT NOT NULL,
    kind          TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    cells_hash    TEXT NOT NULL,
    report_json   TEXT NOT NULL,
    findings_json TEXT NOT NULL,
    cross_json    TEXT NOT NULL DEFAULT '[]',
    errors        INTEGER NOT NULL,
    warnings      INTEGER NOT NULL,
    published_on  TEXT,
    imported_by   TEXT NOT NULL,
    imported_at   INTEGER NOT NULL,
    UNIQUE (superior_id, year, unit_name)
);
CREATE INDEX oversight_reports_year ON oversight_reports(superior_id, year);

-- The source file of an imported report, as uploaded.
CREATE TABLE oversight_sources (
    report_id INTEGER PRIMARY KEY REFERENCES oversight_reports(id) ON DELETE CASCADE,
    data      BLOB NOT NULL
);

-- A person's decision on one finding of a unit's report of a year: confirmed or dismissed,
-- with a note, for the report whose tables had `cells_hash`.
CREATE TABLE oversight_decisions (
    id          INTEGER PRIMARY KEY,
    superior_id INTEGER NOT NULL REFERENCES agencies(id),
    year        INTEGER NOT NULL,
    unit_name   TEXT NOT NULL,
    finding_key TEXT NOT NULL,
    cells_hash  TEXT NOT NULL,
    decision    TEXT NOT NULL CHECK (decision IN ('confirmed','dismissed')),
    note        TEXT NOT NULL,
    decided_by  TEXT NOT NULL,
    decided_at  INTEGER NOT NULL,
    UNIQUE (superior_id, year, unit_name, finding_key)
);
