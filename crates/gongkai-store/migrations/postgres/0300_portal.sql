-- The portal's own facts (issue 11). Both sets: ../sqlite and ../postgres build the same
-- tables (tests/migration_parity.rs).

-- 双公示 as the 信用信息公示 data standard lists a decision: who the party is (法人及非法人组织
-- or 自然人), a legal person's 统一社会信用代码, the 事由 (the 违法事实 of a penalty, the 许可事项
-- of a licence) and the 依据. A natural person's name is kept as recorded and masked when shown;
-- a natural person's ID number is never stored here.
ALTER TABLE decisions ADD COLUMN party_kind TEXT NOT NULL DEFAULT 'legal'
    CHECK (party_kind IN ('legal', 'natural'));
ALTER TABLE decisions ADD COLUMN credit_code TEXT;
ALTER TABLE decisions ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN basis TEXT NOT NULL DEFAULT '';

-- What a site shows about itself and its 政府信息公开工作机构, edited by the system admin:
-- the footer's 网站标识码, ICP and 公安 备案 numbers and the 指南's office (name, address,
-- postcode, phone, fax, hours, e-mail). One row per site, keyed by the site's agency; empty
-- text means "not set" (the footer then falls back to GONGKAI_SITE_CODE / GONGKAI_ICP).
CREATE TABLE site_settings (
    agency_id      BIGINT PRIMARY KEY REFERENCES agencies(id),
    site_code      TEXT NOT NULL DEFAULT '',
    icp            TEXT NOT NULL DEFAULT '',
    police_record  TEXT NOT NULL DEFAULT '',
    office_name    TEXT NOT NULL DEFAULT '',
    office_address TEXT NOT NULL DEFAULT '',
    postcode       TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    fax            TEXT NOT NULL DEFAULT '',
    office_hours   TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT ''
);

-- A revision carries the 目录 fields too (公开类别, 主题分类, 主题词, 成文日期, 有效性 and the
-- document a 解读 explains); NULL art20_item means the revision leaves them as they are.
-- Approval copies them to the item with the revision's title and body.
ALTER TABLE item_revisions ADD COLUMN art20_item BIGINT;
ALTER TABLE item_revisions ADD COLUMN topic TEXT NOT NULL DEFAULT '';
ALTER TABLE item_revisions ADD COLUMN keywords TEXT NOT NULL DEFAULT '';
ALTER TABLE item_revisions ADD COLUMN written_on DATE;
ALTER TABLE item_revisions ADD COLUMN validity TEXT NOT NULL DEFAULT 'in_force'
    CHECK (validity IN ('in_force', 'amended', 'expired'));
ALTER TABLE item_revisions ADD COLUMN interprets BIGINT REFERENCES proactive_items(id);
