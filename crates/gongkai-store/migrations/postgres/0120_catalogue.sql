-- 基层政务公开标准目录 and the 备案 trail of 政务新媒体 accounts (PostgreSQL). Keep in step with
-- ../sqlite/0120_catalogue.sql: same tables, same columns, same constraints.

-- One entry of an agency's standard catalogue: the nine columns of the national tables. The
-- domain is gongkai_law::catalogue::Domain::key; audience, mode and level are the keys of
-- Audience, Mode and Level. refresh_days (from 公开时限) makes a stale entry visible as overdue.
CREATE TABLE catalogue_entries (
    id           BIGSERIAL PRIMARY KEY,
    agency_id    BIGINT NOT NULL REFERENCES agencies(id),
    domain       TEXT NOT NULL,
    item_l1      TEXT NOT NULL,
    item_l2      TEXT NOT NULL DEFAULT '',
    content      TEXT NOT NULL,
    basis        TEXT NOT NULL DEFAULT '',
    time_limit   TEXT NOT NULL DEFAULT '',
    subject      TEXT NOT NULL DEFAULT '',
    channels     TEXT NOT NULL DEFAULT '',
    audience     TEXT NOT NULL CHECK (audience IN ('public','specific_group')),
    mode         TEXT NOT NULL CHECK (mode IN ('proactive','on_request')),
    level        TEXT NOT NULL CHECK (level IN ('county','township','both')),
    refresh_days BIGINT CHECK (refresh_days IS NULL OR refresh_days > 0),
    UNIQUE (agency_id, domain, item_l1, item_l2)
);

-- The proactive items that fulfil an entry.
CREATE TABLE catalogue_links (
    entry_id BIGINT NOT NULL REFERENCES catalogue_entries(id),
    item_id  BIGINT NOT NULL REFERENCES proactive_items(id),
    PRIMARY KEY (entry_id, item_id)
);
CREATE INDEX catalogue_links_item ON catalogue_links(item_id);

-- 开设 / 变更 / 关停 / 注销 of an account, each 备案'd with a date and a number.
CREATE TABLE media_account_events (
    id         BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES media_accounts(id),
    kind       TEXT NOT NULL CHECK (kind IN ('open','change','suspend','close')),
    filed_on   DATE NOT NULL,
    filing_no  TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    UNIQUE (account_id, kind, filing_no)
);
CREATE INDEX media_account_events_account ON media_account_events(account_id, filed_on);
