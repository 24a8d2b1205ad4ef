-- Hardening (issue 12, PostgreSQL). Keep in step with ../sqlite/0240_hardening.sql.

-- Fixed-window counters of attempts (sign-in failures per address and per account, wrong
-- query codes per address and per tracking number, current-password checks). Kept in the
-- database so a limit holds across parallel requests and across nodes: one upsert reserves an
-- attempt before the work it guards (a password hash, a lookup). Times are Unix seconds.
CREATE TABLE attempt_counters (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    count        BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX attempt_counters_age ON attempt_counters(window_start);

-- Addresses a user has signed in from: a lock of the account caused from elsewhere does not
-- shut its owner out of these.
CREATE TABLE user_known_addresses (
    user_id   BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    address   TEXT NOT NULL,
    last_seen BIGINT NOT NULL,
    PRIMARY KEY (user_id, address)
);

-- The public search of decisions by party: a trigram index (pg_trgm, shipped with Debian's
-- PostgreSQL and trusted since PostgreSQL 13) serves LIKE '%q%' instead of a scan of every
-- row. The extension lives in `public` whatever the store's schema (one per database); the
-- advisory lock keeps two stores migrating at once from both creating it.
SELECT pg_advisory_xact_lock(240240);
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE INDEX decisions_party_trgm ON decisions USING gin (party public.gin_trgm_ops);
