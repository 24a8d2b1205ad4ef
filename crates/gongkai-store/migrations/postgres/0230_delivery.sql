-- Delivery of the reply to the applicant (送达) (PostgreSQL). Keep in step with
-- ../sqlite/0230_delivery.sql: same tables, same columns, same constraints.

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
