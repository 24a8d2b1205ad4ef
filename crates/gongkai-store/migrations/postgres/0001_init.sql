-- Gongkai's records (PostgreSQL). Keep in step with ../sqlite/0001_init.sql: same tables,
-- same columns, same constraints; only the types differ.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE agencies (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    level       TEXT NOT NULL CHECK (level IN ('province','city','county','department','township')),
    parent_id   BIGINT REFERENCES agencies(id),
    credit_code TEXT UNIQUE CHECK (credit_code IS NULL OR length(credit_code) = 18)
);
CREATE INDEX agencies_parent ON agencies(parent_id);

-- 索引号 serials: one counter per agency code and year.
CREATE TABLE index_serials (
    credit_code TEXT NOT NULL,
    year        BIGINT NOT NULL,
    last_serial BIGINT NOT NULL,
    PRIMARY KEY (credit_code, year)
);

CREATE TABLE proactive_items (
    id                  BIGSERIAL PRIMARY KEY,
    agency_id           BIGINT NOT NULL REFERENCES agencies(id),
    index_no            TEXT NOT NULL UNIQUE,
    title               TEXT NOT NULL,
    summary             TEXT NOT NULL DEFAULT '',
    publisher           TEXT NOT NULL,
    written_on          DATE,
    published_on        DATE,
    doc_number          TEXT,
    topic               TEXT NOT NULL DEFAULT '',
    genre               TEXT NOT NULL DEFAULT '',
    keywords            TEXT NOT NULL DEFAULT '',
    disclosure_mode     TEXT NOT NULL DEFAULT '主动公开',
    doc_type            TEXT NOT NULL CHECK (doc_type IN ('regulation','normative_document','interpretation','other')),
    art20_item          BIGINT CHECK (art20_item BETWEEN 1 AND 15),
    unit                TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL CHECK (status IN ('draft','in_review','published','returned','withdrawn')),
    validity            TEXT NOT NULL DEFAULT 'in_force' CHECK (validity IN ('in_force','amended','repealed','expired')),
    validity_changed_on DATE
);
CREATE INDEX proactive_items_agency ON proactive_items(agency_id, doc_type, published_on);

-- 政策解读 ↔ the document it explains (both directions are read from this one table).
CREATE TABLE interpretations (
    interpretation_id BIGINT NOT NULL REFERENCES proactive_items(id),
    document_id       BIGINT NOT NULL REFERENCES proactive_items(id),
    PRIMARY KEY (interpretation_id, document_id)
);

CREATE TABLE topics (
    id        BIGSERIAL PRIMARY KEY,
    agency_id BIGINT NOT NULL REFERENCES agencies(id),
    name      TEXT NOT NULL,
    opened_on DATE NOT NULL,
    UNIQUE (agency_id, name)
);
CREATE TABLE topic_items (
    topic_id BIGINT NOT NULL REFERENCES topics(id),
    item_id  BIGINT NOT NULL REFERENCES proactive_items(id),
    PRIMARY KEY (topic_id, item_id)
);

-- The lists of 事项 (licensing, other services, penalty, enforcement) with the dates each
-- entered and left the list.
CREATE TABLE matters (
    id          BIGSERIAL PRIMARY KEY,
    agency_id   BIGINT NOT NULL REFERENCES agencies(id),
    kind        TEXT NOT NULL CHECK (kind IN ('licensing','other_services','penalty','enforcement')),
    name        TEXT NOT NULL,
    listed_on   DATE NOT NULL,
    delisted_on DATE,
    UNIQUE (agency_id, kind, name),
    CHECK (delisted_on IS NULL OR delisted_on >= listed_on)
);
CREATE INDEX matters_agency ON matters(agency_id, kind);

-- 双公示: individual decisions.
CREATE TABLE decisions (
    id         BIGSERIAL PRIMARY KEY,
    agency_id  BIGINT NOT NULL REFERENCES agencies(id),
    kind       TEXT NOT NULL CHECK (kind IN ('licensing','other_services','penalty','enforcement')),
    number     TEXT NOT NULL,
    party      TEXT NOT NULL,
    decided_on DATE NOT NULL,
    content    TEXT NOT NULL DEFAULT '',
    UNIQUE (agency_id, kind, number)
);
CREATE INDEX decisions_count ON decisions(agency_id, kind, decided_on);

CREATE TABLE fee_items (
    id          BIGSERIAL PRIMARY KEY,
    agency_id   BIGINT NOT NULL REFERENCES agencies(id),
    name        TEXT NOT NULL,
    basis       TEXT NOT NULL DEFAULT '',
    standard    TEXT NOT NULL DEFAULT '',
    listed_on   DATE NOT NULL,
    delisted_on DATE,
    UNIQUE (agency_id, name)
);
CREATE TABLE fee_collections (
    id           BIGSERIAL PRIMARY KEY,
    fee_item_id  BIGINT NOT NULL REFERENCES fee_items(id),
    collected_on DATE NOT NULL,
    amount_fen   BIGINT NOT NULL CHECK (amount_fen >= 0)
);

CREATE TABLE procurement_projects (
    id            BIGSERIAL PRIMARY KEY,
    agency_id     BIGINT NOT NULL REFERENCES agencies(id),
    name          TEXT NOT NULL,
    catalogue     TEXT NOT NULL DEFAULT '',
    contracted_on DATE NOT NULL,
    amount_fen    BIGINT NOT NULL CHECK (amount_fen >= 0),
    UNIQUE (agency_id, name)
);

-- Applications (依申请公开). Personal data is sealed (AES-256-GCM: nonce || ciphertext);
-- id_number_mac is a keyed hash for repeat-request lookup.
CREATE TABLE applications (
    id              BIGSERIAL PRIMARY KEY,
    agency_id       BIGINT NOT NULL REFERENCES agencies(id),
    tracking_no     TEXT NOT NULL,
    query_code      TEXT NOT NULL,
    channel         TEXT NOT NULL,
    sent_on         DATE,
    received_on     DATE NOT NULL,
    applicant_kind  TEXT NOT NULL,
    applicant_name  TEXT NOT NULL,
    id_type         TEXT,
    id_number_enc   BYTEA,
    id_number_mac   TEXT,
    phone_enc       BYTEA,
    email_enc       BYTEA,
    address_enc     BYTEA,
    description     TEXT NOT NULL,
    document_number TEXT,
    delivery        TEXT NOT NULL DEFAULT 'electronic',
    status          TEXT NOT NULL,
    outcome         TEXT,
    concluded_on    DATE,
    due_on          DATE,
    due_provisional BOOLEAN NOT NULL DEFAULT FALSE,
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
    id             BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    kind           TEXT NOT NULL,
    occurred_on    DATE NOT NULL,
    payload        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX application_events_app ON application_events(application_id);

-- 行政复议 / 行政诉讼 cases, each linked to its application.
CREATE TABLE appeal_cases (
    id             BIGSERIAL PRIMARY KEY,
    agency_id      BIGINT NOT NULL REFERENCES agencies(id),
    application_id BIGINT NOT NULL REFERENCES applications(id),
    case_number    TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('reconsideration','litigation_direct','litigation_after_reconsideration')),
    filed_on       DATE NOT NULL,
    result         TEXT NOT NULL CHECK (result IN ('upheld','corrected','other','pending')),
    decided_on     DATE,
    CHECK ((result = 'pending') = (decided_on IS NULL))
);
CREATE INDEX appeal_cases_agency ON appeal_cases(agency_id, filed_on);

CREATE TABLE mailbox_letters (
    id                BIGSERIAL PRIMARY KEY,
    agency_id         BIGINT NOT NULL REFERENCES agencies(id),
    letter_no         TEXT NOT NULL UNIQUE,
    subject           TEXT NOT NULL,
    body              TEXT NOT NULL,
    writer_contact_enc BYTEA,
    received_on       DATE NOT NULL,
    reply             TEXT,
    replied_on        DATE,
    published         BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX mailbox_letters_agency ON mailbox_letters(agency_id, received_on);

CREATE TABLE media_accounts (
    id             BIGSERIAL PRIMARY KEY,
    agency_id      BIGINT NOT NULL REFERENCES agencies(id),
    platform       TEXT NOT NULL,
    name           TEXT NOT NULL,
    account_id     TEXT NOT NULL,
    operator       TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('open','suspended','closed')),
    opened_on      DATE NOT NULL,
    changed_on     DATE,
    suspended_on   DATE,
    closed_on      DATE,
    last_update_on DATE,
    UNIQUE (platform, account_id)
);

CREATE TABLE trainings (
    id        BIGSERIAL PRIMARY KEY,
    agency_id BIGINT NOT NULL REFERENCES agencies(id),
    held_on   DATE NOT NULL,
    topic     TEXT NOT NULL,
    attendees BIGINT NOT NULL DEFAULT 0,
    UNIQUE (agency_id, held_on, topic)
);

CREATE TABLE inspections (
    id        BIGSERIAL PRIMARY KEY,
    agency_id BIGINT NOT NULL REFERENCES agencies(id),
    held_on   DATE NOT NULL,
    scope     TEXT NOT NULL,
    findings  TEXT NOT NULL DEFAULT '',
    fixes     TEXT NOT NULL DEFAULT '',
    UNIQUE (agency_id, held_on, scope)
);

-- Append-only, hash-chained audit log. audit_head holds the chain's tip; every writer updates
-- it first, which serialises appends on both back ends.
CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
