-- Sessions are filed under the local calendar day (in the site's time zone) they started
-- on, as days since 1970-01-01, so reports select whole days without time-zone arithmetic.
-- Rows written before this column existed get their UTC day.
ALTER TABLE sessions ADD COLUMN day INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET day = started_at / 86400000;
CREATE INDEX sessions_site_day ON sessions (site_id, day);
