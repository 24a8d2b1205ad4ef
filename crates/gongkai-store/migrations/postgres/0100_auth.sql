-- Users and sessions of the back office (PostgreSQL). Keep in step with ../sqlite/0100_auth.sql.
--
-- Passwords exist only as argon2id PHC strings. Times are Unix seconds (UTC), so lockout and
-- session expiry compare integers on both back ends. A session's id is the SHA-256 of the
-- random token the browser holds: a copy of this table does not let anyone sign in.

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('editor','reviewer','handler','head','superior',
                                                'system_admin','security_admin','audit_admin')),
    -- The root of the subtree the user works in; NULL is the whole tree (the site's own
    -- administrators).
    agency_id     BIGINT REFERENCES agencies(id),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    failed_count  BIGINT NOT NULL DEFAULT 0,
    locked_until  BIGINT,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    BIGINT NOT NULL,
    changed_at    BIGINT NOT NULL
);
CREATE INDEX users_agency ON users(agency_id);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY CHECK (length(id) = 64),
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
