-- 补正 answers (issue 13.1): what the applicant sent in answer to a 补正 notice, online on
-- /track or recorded by the handler from post or in person. The text and the files are sealed
-- (AES-256-GCM) like the applicant's other personal data. An answer in time is recorded as the
-- clock's corrected-application event at once (event_id); a late one waits for the handler,
-- who decides whether to accept it (then event_id is set).
CREATE TABLE correction_answers (
    id              INTEGER PRIMARY KEY,
    application_id  INTEGER NOT NULL REFERENCES applications(id),
    notice_event_id INTEGER NOT NULL REFERENCES application_events(id),
    channel         TEXT NOT NULL CHECK (channel IN ('online', 'post', 'in_person')),
    received_on     DATE NOT NULL,
    text_enc        BLOB NOT NULL,
    late            INTEGER NOT NULL,
    event_id        INTEGER REFERENCES application_events(id),
    recorded_by     TEXT NOT NULL,
    recorded_at     INTEGER NOT NULL
);
CREATE INDEX correction_answers_app ON correction_answers(application_id, id);

CREATE TABLE correction_files (
    id          INTEGER PRIMARY KEY,
    answer_id   INTEGER NOT NULL REFERENCES correction_answers(id),
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    data_enc    BLOB NOT NULL
);
CREATE INDEX correction_files_answer ON correction_files(answer_id, id);

-- What every letter of an agency names in its remedies (issue 13.7): the body that hears an
-- administrative reconsideration (行政复议机关) and the court of first instance (管辖法院).
-- Set by the agency's head; letters refuse to print while unset rather than leave them out.
CREATE TABLE agency_letter_settings (
    agency_id   INTEGER PRIMARY KEY REFERENCES agencies(id),
    review_body TEXT NOT NULL,
    court       TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);
