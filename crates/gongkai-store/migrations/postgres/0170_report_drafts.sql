-- The annual report editor (PostgreSQL). Keep in step with ../sqlite/0170_report_drafts.sql:
-- same tables, same columns, same constraints.

-- The prose being edited for an agency's report of a year (one draft per agency and year):
-- sections_json is {"1": "…", "5": "…", "6": "…"}; status 'published' once a snapshot of it
-- was published (editing again makes it a draft until the next publication).
CREATE TABLE report_drafts (
    id            BIGSERIAL PRIMARY KEY,
    agency_id     BIGINT NOT NULL REFERENCES agencies(id),
    year          BIGINT NOT NULL,
    format        TEXT NOT NULL CHECK (format IN ('2019','2021')),
    sections_json TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft','published')),
    saved_by      TEXT NOT NULL,
    saved_at      BIGINT NOT NULL,
    UNIQUE (agency_id, year)
);

-- Every publication: the whole report (tables and prose, canonical JSON) as it was published,
-- so later edits of the records never change a published report. The latest one is served.
CREATE TABLE published_reports (
    id           BIGSERIAL PRIMARY KEY,
    agency_id    BIGINT NOT NULL REFERENCES agencies(id),
    year         BIGINT NOT NULL,
    report_json  TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at BIGINT NOT NULL
);
CREATE INDEX published_reports_year ON published_reports(agency_id, year, id);
