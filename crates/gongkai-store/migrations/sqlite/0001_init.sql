-- Gongkai's records (SQLite). Keep in step with ../postgres/0001_init.sql: same tables,
-- same columns, same constraints; only the types differ.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE agencies (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    level       TEXT NOT NULL CHECK (level IN ('province','city','county','department','township')),
    parent_id   INTEGER REFERENCES agencies(id),
    credit_code TEXT UNIQUE CHECK (credit_code IS NULL OR length(credit_code) = 18)
);
CREATE INDEX agencies_parent ON agencies(parent_id);

-- 索引号 serials: one counter per agency code and year.
CREATE TABLE index_serials (
    credit_code TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last_serial INTEGER NOT NULL,
    PRIMARY KEY (credit_code, year)
);

CREATE TABLE proactive_items (
    id                  INTEGER PRIMARY KEY,
    agency_id           INTEGER NOT NULL REFERENCES agencies(id),
    index_no            TEXT NOT NULL UNIQUE,
    title               TEXT NOT NULL,
    summary             TEXT NOT NULL DEFAULT '',
    publisher           TEXT NOT NULL,
    written_on          TEXT,
    published_on        TEXT,
    doc_number          TEXT,
    topic               TEXT NOT NULL DEFAULT '',
    genre               TEXT NOT NULL DEFAULT '',
    keywords            TEXT NOT NULL DEFAULT '',
    disclosure_mode     TEXT NOT NULL DEFAULT '主动公开',
    doc_type            TEXT NOT NULL CHECK (doc_type IN ('regulation','normative_document','interpretation','other')),
    art20_item          INTEGER CHECK (art20_item BETWEEN 1 AND 15),
    unit                TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL CHECK (status IN ('draft','in_review','published','returned','withdrawn')),
    validity            TEXT NOT NULL DEFAULT 'in_force' CHECK (validity IN ('in_force','amended','repealed','expired')),
    validity_changed_on TEXT
);
CREATE INDEX proactive_items_agency ON proactive_items(agency_id, doc_type, published_on);

-- 政策解读 ↔ the document it explains (both directions are read from this one table).
CREATE TABLE interpretations (
    interpretation_id INTEGER NOT NULL REFERENCES proactive_items(id),
    document_id       INTEGER NOT NULL REFERENCES proactive_items(id),
    PRIMARY KEY (interpretation_id, document_id)
);

CREATE TABLE topics (
    id        INTEGER PRIMARY KEY,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    name      TEXT NOT NULL,
    opened_on TEXT NOT NULL,
    UNIQUE (agency_id, name)
);
CREATE TABLE topic_items (
    topic_id INTEGER NOT NULL REFERENCES topics(id),
    item_id  INTEGER NOT NULL REFERENCES proactive_items(id),
    PRIMARY KEY (topic_id, item_id)
);

-- The lists of 事项 (licensing, other services, penalty, enforcement) with the dates each
-- entered and left the list.
CREATE TABLE matters (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    kind        TEXT NOT NULL CHECK (kind IN ('licensing','other_services','penalty','enforcement')),
    name        TEXT NOT NULL,
    listed_on   TEXT NOT NULL,
    delisted_on TEXT,
    UNIQUE (agency_id, kind, name),
    CHECK (delisted_on IS NULL OR delisted_on >= listed_on)
);
CREATE INDEX matters_agency ON matters(agency_id, kind);

-- 双公示: individual decisions.
CREATE TABLE decisions (
    id         INTEGER PRIMARY KEY,
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    kind       TEXT NOT NULL CHECK (kind IN ('licensing','other_services','penalty','enforcement')),
    number     TEXT NOT NULL,
    party      TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    content    TEXT NOT NULL DEFAULT '',
    UNIQUE (agency_id, kind, number)
);
CREATE INDEX decisions_count ON decisions(agency_id, kind, decided_on);

CREATE TABLE fee_items (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    name        TEXT NOT NULL,
    basis       TEXT NOT NULL DEFAULT '',
    standard    TEXT NOT NULL DEFAULT '',
    listed_on   TEXT NOT NULL,
    delisted_on TEXT,
    UNIQUE (agency_id, name)
);
CREATE TABLE fee_collections (
    id           INTEGER PRIMARY KEY,
    fee_item_id  INTEGER NOT NULL REFERENCES fee_items(id),
    collected_on TEXT NOT NULL,
    amount_fen   INTEGER NOT NULL CHECK (amount_fen >= 0)
);

CREATE TABLE procurement_projects (
    id            INTEGER PRIMARY KEY,
    agency_id     INTEGER NOT NULL REFERENCES agencies(id),
    name          TEXT NOT NULL,
    catalogue     TEXT NOT NULL DEFAULT '',
    contracted_on TEXT NOT NULL,
    amount_fen    INTEGER NOT NULL CHECK (amount_fen >= 0),
    UNIQUE (agency_id, name)
);

-- Applications (依申请公开). Personal data is sealed (AES-256-GCM: nonce || ciphertext);
-- id_number_mac is a keyed hash for repeat-request lookup.
CREATE TABLE applications (
    id              INTEGER PRIMARY KEY,
    agency_id       INTEGER NOT NULL REFERENCES agencies(id),
    tracking_no     TEXT NOT NULL,
    query_code      TEXT NOT NULL,
    channel         TEXT NOT NULL,
    sent_on         TEXT,
    received_on     TEXT NOT NULL,
    applicant_kind  TEXT NOT NULL,
    applicant_name  TEXT NOT NULL,
    id_type         TEXT,
    id_number_enc   BLOB,
    id_number_mac   TEXT,
    phone_enc       BLOB,
    email_enc       BLOB,
    address_enc     BLOB,
    description     TEXT NOT NULL,
    document_number TEXT,
    delivery        TEXT NOT NULL DEFAULT 'electronic',
    status          TEXT NOT NULL,
    outcome         TEXT,
    concluded_on    TEXT,
    due_on          TEXT,
    due_provisional INTEGER NOT NULL DEFAULT 0,
    due_reason      TEXT,
    note            TEXT NOT NULL DEFAULT '',
    UNIQUE (agency_id, tracking_no),
    CHECK ((outcome IS NULL) = (concluded_on IS NULL)),
    CHECK (concluded_on IS NULL OR concluded_on >= received_on)
);
CREATE INDEX applications_received ON applications(agency_id, received_on);
CREATE INDEX applications_concluded ON applications(agency_id, concluded_on);
CREATE INDEX applications_mac ON applications(id_number_mac);

CREATE TABLE application_events (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    kind           TEXT NOT NULL,
    occurred_on    TEXT NOT NULL,
    payload        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX application_events_app ON application_events(application_id);

-- 行政复议 / 行政诉讼 cases, each linked to its application.
CREATE TABLE appeal_cases (
    id             INTEGER PRIMARY KEY,
    agency_id      INTEGER NOT NULL REFERENCES agencies(id),
    application_id INTEGER NOT NULL REFERENCES applications(id),
    case_number    TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('reconsideration','litigation_direct','litigation_after_reconsideration')),
    filed_on       TEXT NOT NULL,
    result         TEXT NOT NULL CHECK (result IN ('upheld','corrected','other','pending')),
    decided_on     TEXT,
    CHECK ((result = 'pending') = (decided_on IS NULL))
);
CREATE INDEX appeal_cases_agency ON appeal_cases(agency_id, filed_on);

CREATE TABLE mailbox_letters (
    id                INTEGER PRIMARY KEY,
    agency_id         INTEGER NOT NULL REFERENCES agencies(id),
    letter_no         TEXT NOT NULL UNIQUE,
    subject           TEXT NOT NULL,
    body              TEXT NOT NULL,
    writer_contact_enc BLOB,
    received_on       TEXT NOT NULL,
    reply             TEXT,
    replied_on        TEXT,
    published         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX mailbox_letters_agency ON mailbox_letters(agency_id, received_on);

CREATE TABLE media_accounts (
    id             INTEGER PRIMARY KEY,
    agency_id      INTEGER NOT NULL REFERENCES agencies(id),
    platform       TEXT NOT NULL,
    name           TEXT NOT NULL,
    account_id     TEXT NOT NULL,
    operator       TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('open','suspended','closed')),
    opened_on      TEXT NOT NULL,
    changed_on     TEXT,
    suspended_on   TEXT,
    closed_on      TEXT,
    last_update_on TEXT,
    UNIQUE (platform, account_id)
);

CREATE TABLE trainings (
    id        INTEGER PRIMARY KEY,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    held_on   TEXT NOT NULL,
    topic     TEXT NOT NULL,
    attendees INTEGER NOT NULL DEFAULT 0,
    UNIQUE (agency_id, held_on, topic)
);

CREATE TABLE inspections (
    id        INTEGER PRIMARY KEY,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    held_on   TEXT NOT NULL,
    scope     TEXT NOT NULL,
    findings  TEXT NOT NULL DEFAULT '',
    fixes     TEXT NOT NULL DEFAULT '',
    UNIQUE (agency_id, held_on, scope)
);

-- Append-only, hash-chained audit log. audit_head holds the chain's tip; every writer updates
-- it first, which serialises appends on both back ends.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
