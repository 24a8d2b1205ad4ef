-- The newest decisions of each agency first (issue 17.4) (sqlite; keep in step with
-- ../postgres/0370_decisions_recent.sql).
--
-- The 双公示 list of a site shows its subtree's newest decisions. Over a province (25 M rows)
-- PostgreSQL walked the primary key backwards, filtering by agency, and a county's first page
-- took a minute; with this index each agency's newest rows are read directly (views/portal.rs,
-- search_decisions).
CREATE INDEX decisions_recent ON decisions(agency_id, id);
