-- Sessions keep their texts (paths, referrer, campaign, browser, place, screen...) as ids
-- into `strings`, and rollups their dimension and value as small integers: a session row
-- takes half the room, a rollup row a third less.
INSERT OR IGNORE INTO strings (value)
SELECT entry_path FROM sessions WHERE entry_path IS NOT NULL
UNION SELECT exit_path FROM sessions WHERE exit_path IS NOT NULL
UNION SELECT channel FROM sessions WHERE channel IS NOT NULL
UNION SELECT device FROM sessions WHERE device IS NOT NULL
UNION SELECT referrer_host FROM sessions WHERE referrer_host IS NOT NULL
UNION SELECT utm_source FROM sessions WHERE utm_source IS NOT NULL
UNION SELECT utm_medium FROM sessions WHERE utm_medium IS NOT NULL
UNION SELECT utm_campaign FROM sessions WHERE utm_campaign IS NOT NULL
UNION SELECT utm_term FROM sessions WHERE utm_term IS NOT NULL
UNION SELECT utm_content FROM sessions WHERE utm_content IS NOT NULL
UNION SELECT browser FROM sessions WHERE browser IS NOT NULL
UNION SELECT browser_version FROM sessions WHERE browser_version IS NOT NULL
UNION SELECT os FROM sessions WHERE os IS NOT NULL
UNION SELECT country FROM sessions WHERE country IS NOT NULL
UNION SELECT region FROM sessions WHERE region IS NOT NULL
UNION SELECT language FROM sessions WHERE language IS NOT NULL
UNION SELECT screen FROM sessions WHERE screen IS NOT NULL;

CREATE TABLE sessions_new (
    id               INTEGER PRIMARY KEY,
    site_id          INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    visitor_id       INTEGER NOT NULL,
    day              INTEGER NOT NULL,
    started_at       INTEGER NOT NULL,
    last_seen        INTEGER NOT NULL,
    pageviews        INTEGER NOT NULL,
    events           INTEGER NOT NULL,
    engaged_seconds  INTEGER NOT NULL,
    rolled           INTEGER NOT NULL DEFAULT 0,
    -- strings.id from here on
    entry_path       INTEGER NOT NULL,
    exit_path        INTEGER NOT NULL,
    channel          INTEGER NOT NULL,
    device           INTEGER NOT NULL,
    referrer_host    INTEGER,
    utm_source       INTEGER,
    utm_medium       INTEGER,
    utm_campaign     INTEGER,
    utm_term         INTEGER,
    utm_content      INTEGER,
    browser          INTEGER,
    browser_version  INTEGER,
    os               INTEGER,
    country          INTEGER,
    region           INTEGER,
    language         INTEGER,
    screen           INTEGER
);
INSERT INTO sessions_new
SELECT s.id, s.site_id, s.visitor_id, s.day, s.started_at, s.last_seen, s.pageviews, s.events,
       s.engaged_seconds, s.rolled,
       (SELECT id FROM strings WHERE value = s.entry_path),
       (SELECT id FROM strings WHERE value = s.exit_path),
       (SELECT id FROM strings WHERE value = s.channel),
       (SELECT id FROM strings WHERE value = s.device),
       (SELECT id FROM strings WHERE value = s.referrer_host),
       (SELECT id FROM strings WHERE value = s.utm_source),
       (SELECT id FROM strings WHERE value = s.utm_medium),
       (SELECT id FROM strings WHERE value = s.utm_campaign),
       (SELECT id FROM strings WHERE value = s.utm_term),
       (SELECT id FROM strings WHERE value = s.utm_content),
       (SELECT id FROM strings WHERE value = s.browser),
       (SELECT id FROM strings WHERE value = s.browser_version),
       (SELECT id FROM strings WHERE value = s.os),
       (SELECT id FROM strings WHERE value = s.country),
       (SELECT id FROM strings WHERE value = s.region),
       (SELECT id FROM strings WHERE value = s.language),
       (SELECT id FROM strings WHERE value = s.screen)
FROM sessions s;

-- Dropping the old table nulls the error reports' links to it (foreign keys cannot be
-- switched off inside the migration's transaction): they are put back.
CREATE TEMP TABLE error_sessions AS
SELECT id, session_id FROM error_occurrences WHERE session_id IS NOT NULL;
DROP VIEW events;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
UPDATE error_occurrences SET session_id = (SELECT session_id FROM temp.error_sessions e
                                           WHERE e.id = error_occurrences.id)
WHERE id IN (SELECT id FROM temp.error_sessions);
DROP TABLE temp.error_sessions;
CREATE INDEX sessions_site_day ON sessions (site_id, day);
CREATE INDEX sessions_unrolled ON sessions (site_id, day) WHERE rolled = 0;
CREATE INDEX sessions_visitor ON sessions (visitor_id);

-- The sessions with their texts, for the explorer, exports, people and tests.
CREATE VIEW sessions_readable AS
SELECT s.id, s.site_id, s.visitor_id, s.day, s.started_at, s.last_seen, s.pageviews, s.events,
       s.engaged_seconds, s.rolled,
       (SELECT value FROM strings WHERE id = s.entry_path) AS entry_path,
       (SELECT value FROM strings WHERE id = s.exit_path) AS exit_path,
       (SELECT value FROM strings WHERE id = s.channel) AS channel,
       (SELECT value FROM strings WHERE id = s.device) AS device,
       (SELECT value FROM strings WHERE id = s.referrer_host) AS referrer_host,
       (SELECT value FROM strings WHERE id = s.utm_source) AS utm_source,
       (SELECT value FROM strings WHERE id = s.utm_medium) AS utm_medium,
       (SELECT value FROM strings WHERE id = s.utm_campaign) AS utm_campaign,
       (SELECT value FROM strings WHERE id = s.utm_term) AS utm_term,
       (SELECT value FROM strings WHERE id = s.utm_content) AS utm_content,
       (SELECT value FROM strings WHERE id = s.browser) AS browser,
       (SELECT value FROM strings WHERE id = s.browser_version) AS browser_version,
       (SELECT value FROM strings WHERE id = s.os) AS os,
       (SELECT value FROM strings WHERE id = s.country) AS country,
       (SELECT value FROM strings WHERE id = s.region) AS region,
       (SELECT value FROM strings WHERE id = s.language) AS language,
       (SELECT value FROM strings WHERE id = s.screen) AS screen
FROM sessions s;

CREATE VIEW events (id, site_id, session_id, ts, kind, path, name, target, props) AS
SELECT e.id, s.site_id, s.id, s.started_at + e.offset_ms,
       CASE e.kind WHEN 0 THEN 'pageview' WHEN 1 THEN 'custom' WHEN 2 THEN 'outbound' ELSE 'download' END,
       p.value, n.value, e.target, e.props
FROM sessions s
JOIN event_rows e ON e.id BETWEEN s.id * 4096 AND s.id * 4096 + 4095
JOIN strings p ON p.id = e.path
LEFT JOIN strings n ON n.id = e.name;

-- Rollup values: the dimension as its number (`skopos_core::report::Dimension::code`), the
-- value as a string id (0: none). Everything is rolled up again.
DROP TABLE rollup_values;
CREATE TABLE rollup_values (
    site_id          INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    dimension        INTEGER NOT NULL,
    days             INTEGER NOT NULL CHECK (days IN (1, 7, 28)),
    day              INTEGER NOT NULL,
    value            INTEGER NOT NULL,
    visitors         INTEGER NOT NULL,
    sessions         INTEGER NOT NULL,
    pageviews        INTEGER NOT NULL,
    events           INTEGER NOT NULL,
    bounces          INTEGER NOT NULL,
    engaged          INTEGER NOT NULL,
    duration_seconds INTEGER NOT NULL,
    errors           INTEGER NOT NULL,
    PRIMARY KEY (site_id, dimension, days, day, value)
) WITHOUT ROWID;
DELETE FROM rollup_days;
DELETE FROM rollup_hours;
UPDATE sessions SET rolled = 0 WHERE rolled = 1;
