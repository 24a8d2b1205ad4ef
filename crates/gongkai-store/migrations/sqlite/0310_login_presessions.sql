-- Sign-in pre-sessions (issue 12.4). The sign-in form's CSRF token is bound to a record kept
-- here, not to a value the browser may choose: a form is accepted only with a token this
-- server issued, for the pre-session cookie it was issued with. `id` is the SHA-256 (hex) of
-- the cookie's random value, like `sessions.id`. Times are Unix seconds.
CREATE TABLE login_presessions (
    id         TEXT PRIMARY KEY CHECK (length(id) = 64),
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX login_presessions_expiry ON login_presessions(expires_at);
