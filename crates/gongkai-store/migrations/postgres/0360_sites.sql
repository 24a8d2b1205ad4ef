-- The sites of a 集约化 platform (issue 17.1) (postgres; keep in step with ../sqlite/0360_sites.sql).
--
-- A site is an agency's portal: the agency is the root of the subtree it publishes for, the
-- name is what its pages are titled with, and its host names route requests to it. What the
-- footer and the 指南 say (网站标识码, ICP, the office) stays in site_settings, keyed by the same
-- agency. A deployment with no row here serves one site, as before (gongkai serve's
-- --site-name and the first county). A host belongs to one site only; host names are stored
-- in lower case without a port.
CREATE TABLE sites (
    agency_id  BIGINT PRIMARY KEY REFERENCES agencies(id),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE site_hosts (
    host      TEXT PRIMARY KEY CHECK (host = lower(host) AND length(host) BETWEEN 1 AND 253),
    agency_id BIGINT NOT NULL REFERENCES sites(agency_id)
);
CREATE INDEX site_hosts_agency ON site_hosts(agency_id);
