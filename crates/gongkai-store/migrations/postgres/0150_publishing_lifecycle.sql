-- The publishing lifecycle behind the gate: edits of returned items, revisions of published
-- items (the public page keeps the old version until the revision is approved), superseded
-- versions, 废止 and 撤回, attachments scanned like the body, and the editable word list.

-- 废止: the reason printed next to 有效性 (its date is validity_changed_on).
ALTER TABLE proactive_items ADD COLUMN validity_note TEXT NOT NULL DEFAULT '';
-- 撤回: the item leaves the portal; date and reason kept.
ALTER TABLE proactive_items ADD COLUMN withdrawn_on DATE;
ALTER TABLE proactive_items ADD COLUMN withdraw_reason TEXT NOT NULL DEFAULT '';

-- Where a finding lies: '' for the body, else the attachment's file name.
ALTER TABLE item_findings ADD COLUMN source TEXT NOT NULL DEFAULT '';

-- A proposed new version of a published item; it passes the same gate. At most one is open
-- (not yet approved) per item.
CREATE TABLE item_revisions (
    id          BIGSERIAL PRIMARY KEY,
    item_id     BIGINT NOT NULL REFERENCES proactive_items(id),
    author_id   BIGINT REFERENCES users(id),
    title       TEXT NOT NULL,
    doc_number  TEXT,
    doc_type    TEXT NOT NULL CHECK (doc_type IN ('regulation','normative_document','interpretation','other')),
    body        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('draft','in_review','returned','approved','cancelled')),
    note        TEXT NOT NULL DEFAULT '',
    reviewer_id BIGINT REFERENCES users(id),
    created_at  BIGINT NOT NULL,
    decided_at  BIGINT
);
CREATE UNIQUE INDEX item_revisions_open ON item_revisions(item_id)
    WHERE status IN ('draft','in_review','returned');

-- 修订历史: every version a revision replaced.
CREATE TABLE item_versions (
    id           BIGSERIAL PRIMARY KEY,
    item_id      BIGINT NOT NULL REFERENCES proactive_items(id),
    revision_id  BIGINT NOT NULL REFERENCES item_revisions(id),
    title        TEXT NOT NULL,
    doc_number   TEXT,
    doc_type     TEXT NOT NULL,
    body         TEXT NOT NULL,
    replaced_at  BIGINT NOT NULL
);
CREATE INDEX item_versions_item ON item_versions(item_id, id);

-- The revision a review row belongs to (NULL: the item's first publication).
ALTER TABLE item_reviews ADD COLUMN revision_id BIGINT REFERENCES item_revisions(id);

-- Attachments: the file itself (kept in the database, so one backup holds everything), its
-- SHA-256, and the text extracted from it, which the scan reads like the body.
CREATE TABLE item_attachments (
    id          BIGSERIAL PRIMARY KEY,
    item_id     BIGINT NOT NULL REFERENCES proactive_items(id),
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    text        TEXT NOT NULL,
    data        BYTEA NOT NULL,
    added_by    BIGINT REFERENCES users(id),
    added_at    BIGINT NOT NULL
);
CREATE INDEX item_attachments_item ON item_attachments(item_id, id);

-- The agency's own sensitive words, merged with gongkai-review's built-in markers.
CREATE TABLE sensitive_words (
    id        BIGSERIAL PRIMARY KEY,
    word      TEXT NOT NULL UNIQUE,
    added_by  TEXT NOT NULL,
    added_at  BIGINT NOT NULL
);
