-- The change feed and the cluster's periodic jobs (issue 17, SQLite). Keep in step with
-- ../postgres/0350_change_feed.sql.

-- The outbox: one row per audited change of a record, written in the same transaction as the
-- change (by `audit_append!`), numbered by the audit log's sequence (so numbers grow in commit
-- order: writers are serialised on the audit head). Every node's page cache and search index
-- follow it by sequence number.
CREATE TABLE change_feed (
    seq       INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    record_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    at        TEXT NOT NULL
);

-- Periodic jobs (sweeps, self-inspection) that must run once across the cluster: the last run
-- of each, read and written under the cluster's job lock.
CREATE TABLE job_runs (
    name         TEXT PRIMARY KEY,
    last_started TEXT NOT NULL,
    runs         INTEGER NOT NULL,
    node         TEXT NOT NULL
);
