-- Reports read sessions by local day, so the indexes for time ranges over all events and
-- sessions of a site are dead weight (about a fifth of the file); an event's visitor is
-- its session's.
DROP INDEX events_site_kind_ts;
DROP INDEX sessions_site_started;
ALTER TABLE events DROP COLUMN visitor_id;
