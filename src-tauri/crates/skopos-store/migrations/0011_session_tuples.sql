-- Where a session came from (channel, referrer, campaign), what it ran on (browser, OS,
-- device, language, screen) and where it was (country, region) are shared by many
-- sessions: each combination is kept once, and a session names three of them. A session
-- row has 15 columns instead of 27 and takes about a third less room. Values are string
-- ids, NULL for none, as before; the writer hands out the combinations' ids.
CREATE TABLE session_sources (
    id            INTEGER PRIMARY KEY,
    channel       INTEGER NOT NULL,
    referrer_host INTEGER,
    utm_source    INTEGER,
    utm_medium    INTEGER,
    utm_campaign  INTEGER,
    utm_term      INTEGER,
    utm_content   INTEGER
);
CREATE INDEX session_sources_values ON session_sources
    (channel, referrer_host, utm_source, utm_medium, utm_campaign, utm_term, utm_content);

CREATE TABLE session_clients (
    id              INTEGER PRIMARY KEY,
    device          INTEGER NOT NULL,
    browser         INTEGER,
    browser_version INTEGER,
    os              INTEGER,
    language        INTEGER,
    screen          INTEGER
);
CREATE INDEX session_clients_values ON session_clients
    (device, browser, browser_version, os, language, screen);

CREATE TABLE session_places (
    id      INTEGER PRIMARY KEY,
    country INTEGER,
    region  INTEGER
);
CREATE INDEX session_places_values ON session_places (country, region);

INSERT INTO session_sources (channel, referrer_host, utm_source, utm_medium, utm_campaign,
                             utm_term, utm_content)
SELECT DISTINCT channel, referrer_host, utm_source, utm_medium, utm_campaign, utm_term,
       utm_content FROM sessions;
INSERT INTO session_clients (device, browser, browser_version, os, language, screen)
SELECT DISTINCT device, browser, browser_version, os, language, screen FROM sessions;
INSERT INTO session_places (country, region)
SELECT DISTINCT country, region FROM sessions;

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
    entry_path       INTEGER NOT NULL,  -- strings.id
    exit_path        INTEGER NOT NULL,  -- strings.id
    source           INTEGER NOT NULL,  -- session_sources.id
    client           INTEGER NOT NULL,  -- session_clients.id
    place            INTEGER NOT NULL   -- session_places.id
);
INSERT INTO sessions_new
SELECT s.id, s.site_id, s.visitor_id, s.day, s.started_at, s.last_seen, s.pageviews, s.events,
       s.engaged_seconds, s.rolled, s.entry_path, s.exit_path,
       (SELECT id FROM session_sources t WHERE t.channel IS s.channel
          AND t.referrer_host IS s.referrer_host AND t.utm_source IS s.utm_source
          AND t.utm_medium IS s.utm_medium AND t.utm_campaign IS s.utm_campaign
          AND t.utm_term IS s.utm_term AND t.utm_content IS s.utm_content),
       (SELECT id FROM session_clients t WHERE t.device IS s.device
          AND t.browser IS s.browser AND t.browser_version IS s.browser_version
          AND t.os IS s.os AND t.language IS s.language AND t.screen IS s.screen),
       (SELECT id FROM session_places t WHERE t.country IS s.country AND t.region IS s.region)
FROM sessions s ORDER BY s.id;

-- As in 0009: dropping the old table nulls the error reports' links to it; they are put back.
CREATE TEMP TABLE error_sessions AS
SELECT id, session_id FROM error_occurrences WHERE session_id IS NOT NULL;
DROP VIEW events;
DROP VIEW sessions_readable;
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

CREATE VIEW events (id, site_id, session_id, ts, kind, path, name, target, props) AS
SELECT e.id, s.site_id, s.id, s.started_at + e.offset_ms,
       CASE e.kind WHEN 0 THEN 'pageview' WHEN 1 THEN 'custom' WHEN 2 THEN 'outbound' ELSE 'download' END,
       p.value, n.value, e.target, e.props
FROM sessions s
JOIN event_rows e ON e.id BETWEEN s.id * 4096 AND s.id * 4096 + 4095
JOIN strings p ON p.id = e.path
LEFT JOIN strings n ON n.id = e.name;
