-- 网上巡查 by the whole of 国办秘函〔2019〕19号 (postgres; keep in step with the other set).

-- The score of a run (tenths of a point; NULL when a single-veto item failed and nothing was
-- scored) and what each finding took off it.
ALTER TABLE site_inspections ADD COLUMN score_tenths BIGINT;
ALTER TABLE site_inspection_findings ADD COLUMN deduction_tenths BIGINT NOT NULL DEFAULT 0;

-- Availability probes of `gongkai inspect --monitor`: one row per probe of a home page, a
-- measurement appended as it is made (never edited). status NULL: no answer within 15 s.
CREATE TABLE site_probes (
    id        BIGSERIAL PRIMARY KEY,
    url       TEXT NOT NULL,
    probed_at TEXT NOT NULL,
    status    BIGINT,
    failed    BOOLEAN NOT NULL,
    millis    BIGINT NOT NULL CHECK (millis >= 0)
);
CREATE INDEX site_probes_url ON site_probes(url, probed_at);

-- The 严重表述错误 list: wrong forms of leaders' names and titles and banned words no page of
-- the site may show; edited in the back office like the 保密审查 list (sensitive_words).
CREATE TABLE severe_words (
    id       BIGSERIAL PRIMARY KEY,
    word     TEXT NOT NULL UNIQUE,
    added_by TEXT NOT NULL,
    added_at BIGINT NOT NULL
);
