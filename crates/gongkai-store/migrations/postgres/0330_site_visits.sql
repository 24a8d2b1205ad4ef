-- The portal's own visit counting for the 政府网站工作年度报表 (国办函〔2018〕12号: 独立用户访问总量,
-- 网站总访问量) (postgres; keep in step with ../sqlite/0330_site_visits.sql).
--
-- One row a Beijing day: how many distinct visitors and how many page views the portal counted.
-- No address, cookie or hash is stored: visitors are told apart in memory only, by a hash
-- salted afresh each day (gongkai-web's visits module; docs/SECURITY.md), and only the counts
-- reach the database.
CREATE TABLE site_visit_days (
    day        DATE PRIMARY KEY,
    visitors   BIGINT NOT NULL CHECK (visitors >= 0),
    page_views BIGINT NOT NULL CHECK (page_views >= 0)
);
