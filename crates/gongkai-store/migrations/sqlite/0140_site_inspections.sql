-- 网上巡查 runs of `gongkai inspect` (and the portal's scheduled self-inspection) and their
-- findings (SQLite). Keep in step with ../postgres/0140_site_inspections.sql. Not the table
-- `inspections`, which holds the supervision's own inspections of sites and accounts.

-- One run: the site, the day the freshness rules counted from, when it ran, who started it
-- (started_by: `cli`, `scheduled` …), the verdict and what was fetched.
CREATE TABLE site_inspections (
    id             INTEGER PRIMARY KEY,
    url            TEXT NOT NULL,
    as_of          TEXT NOT NULL,
    ran_at         TEXT NOT NULL,
    started_by     TEXT NOT NULL,
    verdict        TEXT NOT NULL CHECK (verdict IN ('pass','veto')),
    pages          INTEGER NOT NULL CHECK (pages >= 0),
    probes_sent    INTEGER NOT NULL CHECK (probes_sent >= 0),
    probes_failed  INTEGER NOT NULL CHECK (probes_failed >= 0),
    external_links INTEGER NOT NULL CHECK (external_links >= 0)
);
CREATE INDEX site_inspections_url ON site_inspections(url, ran_at);

-- One finding of a run: a rule id of the spec (SITE-UNREACHABLE … LETTER-UNANSWERED), whether
-- it fails the site, what is at fault and the detail (personal data only masked).
CREATE TABLE site_inspection_findings (
    id      INTEGER PRIMARY KEY,
    run_id  INTEGER NOT NULL REFERENCES site_inspections(id),
    rule    TEXT NOT NULL,
    veto    BOOLEAN NOT NULL,
    url     TEXT NOT NULL,
    detail  TEXT NOT NULL
);
CREATE INDEX site_inspection_findings_run ON site_inspection_findings(run_id, rule);
