-- A session keeps how long it has lasted (milliseconds since it started) instead of when
-- it was last seen: most sessions are short, so 0 to 3 bytes instead of 6.
DROP VIEW sessions_readable;
ALTER TABLE sessions RENAME COLUMN last_seen TO length_ms;
UPDATE sessions SET length_ms = length_ms - started_at;

-- The sessions with their texts, for the explorer, exports, people and tests.
CREATE VIEW sessions_readable AS
SELECT s.id, s.site_id, s.visitor_id, s.day, s.started_at, s.started_at + s.length_ms AS last_seen,
       s.pageviews, s.events,
       s.engaged_seconds, s.rolled,
       (SELECT value FROM strings WHERE id = s.entry_path) AS entry_path,
       (SELECT value FROM strings WHERE id = s.exit_path) AS exit_path,
       (SELECT value FROM strings WHERE id = so.channel) AS channel,
       (SELECT value FROM strings WHERE id = c.device) AS device,
       (SELECT value FROM strings WHERE id = so.referrer_host) AS referrer_host,
       (SELECT value FROM strings WHERE id = so.utm_source) AS utm_source,
       (SELECT value FROM strings WHERE id = so.utm_medium) AS utm_medium,
       (SELECT value FROM strings WHERE id = so.utm_campaign) AS utm_campaign,
       (SELECT value FROM strings WHERE id = so.utm_term) AS utm_term,
       (SELECT value FROM strings WHERE id = so.utm_content) AS utm_content,
       (SELECT value FROM strings WHERE id = c.browser) AS browser,
       (SELECT value FROM strings WHERE id = c.browser_version) AS browser_version,
       (SELECT value FROM strings WHERE id = c.os) AS os,
       (SELECT value FROM strings WHERE id = p.country) AS country,
       (SELECT value FROM strings WHERE id = p.region) AS region,
       (SELECT value FROM strings WHERE id = c.language) AS language,
       (SELECT value FROM strings WHERE id = c.screen) AS screen
FROM sessions s
JOIN session_sources so ON so.id = s.source
JOIN session_clients c ON c.id = s.client
JOIN session_places p ON p.id = s.place;

