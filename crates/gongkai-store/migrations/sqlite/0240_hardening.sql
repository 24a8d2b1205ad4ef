-- Hardening (issue 12, SQLite). Keep in step with ../postgres/0240_hardening.sql.

-- Fixed-window counters of attempts (sign-in failures per address and per account, wrong
-- query codes per address and per tracking number, current-password checks). Kept in the
-- database so a limit holds across parallel requests and across nodes: one upsert reserves an
-- attempt before the work it guards (a password hash, a lookup). Times are Unix seconds.
CREATE TABLE attempt_counters (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    count        INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX attempt_counters_age ON attempt_counters(window_start);

-- Addresses a user has signed in from: a lock of the account caused from elsewhere does not
-- shut its owner out of these.
CREATE TABLE user_known_addresses (
    user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    address   TEXT NOT NULL,
    last_seen INTEGER NOT NULL,
    PRIMARY KEY (user_id, address)
) WITHOUT ROWID;

-- The public search of decisions by party: a trigram index (FTS5) instead of a scan of every
-- row with LIKE '%q%'. External content: the text stays in `decisions`, triggers keep step.
CREATE VIRTUAL TABLE decisions_party USING fts5(
    party, content='decisions', content_rowid='id', tokenize='trigram'
);
INSERT INTO decisions_party(decisions_party) VALUES ('rebuild');
CREATE TRIGGER decisions_party_insert AFTER INSERT ON decisions BEGIN
    INSERT INTO decisions_party(rowid, party) VALUES (NEW.id, NEW.party);
END;
CREATE TRIGGER decisions_party_delete AFTER DELETE ON decisions BEGIN
    INSERT INTO decisions_party(decisions_party, rowid, party) VALUES ('delete', OLD.id, OLD.party);
END;
CREATE TRIGGER decisions_party_update AFTER UPDATE OF party ON decisions BEGIN
    INSERT INTO decisions_party(decisions_party, rowid, party) VALUES ('delete', OLD.id, OLD.party);
    INSERT INTO decisions_party(rowid, party) VALUES (NEW.id, NEW.party);
END;
