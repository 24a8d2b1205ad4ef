-- Delivery of the reply to the applicant (送达) and the released copies of 区分处理 (PostgreSQL).
-- Keep in step with ../sqlite/0230_delivery.sql: same tables, same columns, same constraints.

-- One row per replied application: how the reply went out and when it counts as served.
-- By post: the mailing date and the postal tracking number, then the day it was signed for.
-- Electronically: the day the applicant first downloaded it on /track.
CREATE TABLE case_deliveries (
    id                 BIGSERIAL PRIMARY KEY,
    application_id     BIGINT NOT NULL UNIQUE REFERENCES applications(id),
    mailed_on          DATE,
    postal_tracking_no TEXT,
    served_on          DATE,
    served_how         TEXT CHECK (served_how IN ('signed', 'downloaded')),
    CHECK ((served_on IS NULL) = (served_how IS NULL))
);

-- 区分处理 (Art. 37): a released copy of a document, written anew from the redacted text
-- (never the original file), with who released it and when.
CREATE TABLE case_releases (
    id             BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    original_name  TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    media_type     TEXT NOT NULL,
    data           BYTEA NOT NULL,
    released_by    TEXT NOT NULL,
    released_on    DATE NOT NULL
);
CREATE INDEX case_releases_application ON case_releases(application_id);

-- The redaction log of a released copy: where, how long, why, under which article. Never the
-- withheld text.
CREATE TABLE redactions (
    id         BIGSERIAL PRIMARY KEY,
    release_id BIGINT NOT NULL REFERENCES case_releases(id),
    position   BIGINT NOT NULL,
    length     BIGINT NOT NULL,
    article    TEXT NOT NULL,
    reason     TEXT NOT NULL
);
CREATE INDEX redactions_release ON redactions(release_id);
