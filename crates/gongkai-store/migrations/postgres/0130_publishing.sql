-- The publishing gate (先审后发): who drafted an item, its body, the findings of the automatic
-- 保密审查 scan and every reviewer decision. Nobody approves their own item (enforced in code).
ALTER TABLE proactive_items ADD COLUMN author_id BIGINT REFERENCES users(id);
ALTER TABLE proactive_items ADD COLUMN body TEXT NOT NULL DEFAULT '';

-- One row per scan, resolution, approval or return.
CREATE TABLE item_reviews (
    id            BIGSERIAL PRIMARY KEY,
    item_id       BIGINT NOT NULL REFERENCES proactive_items(id),
    author_id     BIGINT REFERENCES users(id),
    reviewer_id   BIGINT REFERENCES users(id),
    decision      TEXT NOT NULL CHECK (decision IN ('scanned','resolved','approved','returned')),
    findings_json TEXT NOT NULL DEFAULT '[]',
    note          TEXT NOT NULL DEFAULT '',
    decided_at    BIGINT NOT NULL
);
CREATE INDEX item_reviews_item ON item_reviews(item_id, id);

-- The findings of the latest scan (masked only: never the raw number).
CREATE TABLE item_findings (
    id          BIGSERIAL PRIMARY KEY,
    item_id     BIGINT NOT NULL REFERENCES proactive_items(id),
    kind        TEXT NOT NULL,
    label       TEXT NOT NULL,
    masked      TEXT NOT NULL,
    line        BIGINT NOT NULL,
    blocks      BIGINT NOT NULL CHECK (blocks IN (0, 1)),
    resolved_by BIGINT REFERENCES users(id),
    resolved_at BIGINT
);
CREATE INDEX item_findings_item ON item_findings(item_id);
