-- Casework (issue 6): numbered letters from counters, the mailbox's consent and public text.

-- The last serial of each kind of letter (kind = the event that issues it:
-- correction_notice_sent, extension_approved, replied) per agency and year. Incremented by an
-- upsert in the transaction that records the event, so two letters never share a number.
CREATE TABLE letter_counters (
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    year      INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    last      INTEGER NOT NULL CHECK (last > 0),
    PRIMARY KEY (agency_id, year, kind)
);

-- The serial of the letter an event issued (NULL for events that issue none).
ALTER TABLE application_events ADD COLUMN letter_serial INTEGER;

-- Letters issued before the counters existed keep the order they were recorded in.
UPDATE application_events SET letter_serial = r.n FROM (
    SELECT e.id AS id, ROW_NUMBER() OVER (
        PARTITION BY a.agency_id, e.kind, strftime('%Y', e.occurred_on) ORDER BY e.id) AS n
    FROM application_events e JOIN applications a ON a.id = e.application_id
    WHERE e.kind IN ('correction_notice_sent', 'extension_approved', 'replied')
) AS r WHERE r.id = application_events.id;

INSERT INTO letter_counters (agency_id, year, kind, last)
SELECT a.agency_id, CAST(strftime('%Y', e.occurred_on) AS INTEGER), e.kind, MAX(e.letter_serial)
FROM application_events e JOIN applications a ON a.id = e.application_id
WHERE e.letter_serial IS NOT NULL
GROUP BY a.agency_id, CAST(strftime('%Y', e.occurred_on) AS INTEGER), e.kind;

-- 县长信箱: the writer's consent to publication (given on the public form) and the text the
-- office publishes in place of the body (personal data taken out), if it differs.
ALTER TABLE mailbox_letters ADD COLUMN publish_consent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mailbox_letters ADD COLUMN public_body TEXT;
-- Letters published before the consent was stored were published with it.
UPDATE mailbox_letters SET publish_consent = 1 WHERE published = 1;
CREATE INDEX mailbox_letters_open ON mailbox_letters(agency_id, replied_on, received_on);
