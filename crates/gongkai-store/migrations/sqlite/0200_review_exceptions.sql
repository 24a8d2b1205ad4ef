-- The 保密审查 gate cannot be clicked through (issue 11): a finding is cleared only by a text
-- change whose new scan no longer finds it, by 遮盖 (the text itself is rewritten, so a new
-- scan finds nothing), or by an exception a reviewer records with a category and a written
-- reason. Exceptions hold for the value (a keyed hash of it, never the value itself) in every
-- later scan of the item; the head reads them on the dashboard and the audit log keeps them.
CREATE TABLE item_exceptions (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES proactive_items(id),
    kind        TEXT NOT NULL,
    label       TEXT NOT NULL,
    masked      TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT '',
    value_mac   TEXT NOT NULL,
    category    TEXT NOT NULL CHECK (category IN ('agency_phone','legal_disclosure','consent','not_personal','other')),
    reason      TEXT NOT NULL,
    reviewer_id INTEGER NOT NULL REFERENCES users(id),
    decided_at  INTEGER NOT NULL
);
CREATE INDEX item_exceptions_item ON item_exceptions(item_id, kind, value_mac);
CREATE INDEX item_exceptions_time ON item_exceptions(decided_at);

-- Each stored finding: the keyed hash of its value (to match an exception or a 遮盖 to it),
-- its masked excerpt (context for the reviewer), whether it is a 「疑似」, and the exception
-- that clears it (resolved_by/resolved_at then name its reviewer and time).
ALTER TABLE item_findings ADD COLUMN value_mac TEXT NOT NULL DEFAULT '';
ALTER TABLE item_findings ADD COLUMN excerpt TEXT NOT NULL DEFAULT '';
ALTER TABLE item_findings ADD COLUMN suspect INTEGER NOT NULL DEFAULT 0;
ALTER TABLE item_findings ADD COLUMN exception_id INTEGER REFERENCES item_exceptions(id);
