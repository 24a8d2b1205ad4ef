-- API tokens for callers of the report checker (issue 18.3) (sqlite; keep in step with
-- ../postgres/0340_api_tokens.sql).
--
-- The security admin issues a token to a named caller (a provincial system, a superior
-- office's script) with the scopes it may use; the secret is shown once and only its SHA-256
-- is kept (a random 256-bit secret needs no slow hash). A token is never deleted: revoking it
-- stamps revoked_at, so the audit log's references stay whole. last_used_at is a measurement,
-- not a decision, and is not audited.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    caller       TEXT NOT NULL CHECK (length(caller) BETWEEN 1 AND 100),
    -- The secret's first characters (gk_ and 8 more), shown so that staff can tell tokens apart.
    prefix       TEXT NOT NULL,
    secret_hash  TEXT NOT NULL UNIQUE CHECK (length(secret_hash) = 64),
    -- Space-separated scope keys (reports:check).
    scopes       TEXT NOT NULL,
    issued_by    TEXT NOT NULL,
    issued_at    INTEGER NOT NULL,
    revoked_by   TEXT,
    revoked_at   INTEGER,
    last_used_at INTEGER
);
