-- The change feed and the cluster's periodic jobs (issue 17, PostgreSQL). Keep in step with
-- ../sqlite/0350_change_feed.sql.

-- The outbox: one row per audited change of a record, written in the same transaction as the
-- change (by `audit_append!`), numbered by the audit log's sequence (so numbers grow in commit
-- order: writers are serialised on the audit head row). Every node's page cache and search
-- index follow it by sequence number; a NOTIFY on insert wakes them (delivered at commit).
CREATE TABLE change_feed (
    seq       BIGINT PRIMARY KEY,
    kind      TEXT NOT NULL,
    record_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    at        TEXT NOT NULL
);

CREATE FUNCTION change_feed_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('gongkai_changes', NEW.seq::text);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER change_feed_notify AFTER INSERT ON change_feed
    FOR EACH ROW EXECUTE FUNCTION change_feed_notify();

-- Periodic jobs (sweeps, self-inspection) that must run once across the cluster: the last run
-- of each, read and written under the cluster's job lock (pg_try_advisory_lock).
CREATE TABLE job_runs (
    name         TEXT PRIMARY KEY,
    last_started TEXT NOT NULL,
    runs         BIGINT NOT NULL,
    node         TEXT NOT NULL
);
