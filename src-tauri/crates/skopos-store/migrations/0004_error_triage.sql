-- Triage of JS error groups: when a group was resolved, and when a resolved group came
-- back (a regression; the writer reopens it in the transaction that stores the report).
ALTER TABLE error_groups ADD COLUMN resolved_at INTEGER;
ALTER TABLE error_groups ADD COLUMN regressed_at INTEGER;
CREATE INDEX error_groups_site_last_seen ON error_groups (site_id, last_seen);
