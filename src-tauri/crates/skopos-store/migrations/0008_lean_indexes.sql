-- Only identified visitors need a row of their own: an anonymous visitor is their
-- sessions. The writer finds a visitor's sessions by visitor id alone (a keyed hash,
-- unique enough); nothing reads sessions by last seen any more (the explorer walks the
-- site's days newest first, live counts read the sessions not rolled up).
DELETE FROM visitors WHERE user_id IS NULL;
DROP INDEX sessions_site_last_seen;
DROP INDEX sessions_visitor;
CREATE INDEX sessions_visitor ON sessions (visitor_id);
