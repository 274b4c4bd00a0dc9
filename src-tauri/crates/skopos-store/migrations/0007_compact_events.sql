-- Events in a quarter of the room. Paths and event names are interned in `strings`; the
-- kind is a small integer; the time is kept as milliseconds after the session started.
-- An event's rowid is its session's id * 4096 plus its place in the session, so a
-- session's events are one rowid range: no index, no session or site column.
CREATE TABLE strings (
    id    INTEGER PRIMARY KEY,
    value TEXT    NOT NULL UNIQUE
);

CREATE TABLE event_rows (
    id        INTEGER PRIMARY KEY,  -- session id * 4096 + place in the session (0..4095)
    offset_ms INTEGER NOT NULL,     -- after the session started
    kind      INTEGER NOT NULL,     -- 0 pageview, 1 custom, 2 outbound, 3 download
    path      INTEGER NOT NULL,     -- strings.id
    name      INTEGER,              -- strings.id; custom events
    target    TEXT,                 -- outbound and download links
    props     TEXT                  -- JSON object; custom events
);

INSERT INTO strings (value)
SELECT path FROM events UNION SELECT name FROM events WHERE name IS NOT NULL;

-- A session holds at most 4096 events (the writer opens a new one then); none has more yet.
INSERT INTO event_rows (id, offset_ms, kind, path, name, target, props)
SELECT session_id * 4096 + place, offset_ms, kind, path, name, target, props FROM (
    SELECT e.session_id,
           ROW_NUMBER() OVER (PARTITION BY e.session_id ORDER BY e.id) - 1 AS place,
           e.ts - s.started_at AS offset_ms,
           CASE e.kind WHEN 'pageview' THEN 0 WHEN 'custom' THEN 1 WHEN 'outbound' THEN 2 ELSE 3 END AS kind,
           p.id AS path, n.id AS name, e.target, e.props
    FROM events e JOIN sessions s ON s.id = e.session_id
    JOIN strings p ON p.value = e.path LEFT JOIN strings n ON n.value = e.name
)
WHERE place < 4096;

DROP TABLE events;

-- The events as they were, for people and tests reading the database: selecting by
-- session or site reads rowid ranges.
CREATE VIEW events (id, site_id, session_id, ts, kind, path, name, target, props) AS
SELECT e.id, s.site_id, s.id, s.started_at + e.offset_ms,
       CASE e.kind WHEN 0 THEN 'pageview' WHEN 1 THEN 'custom' WHEN 2 THEN 'outbound' ELSE 'download' END,
       p.value, n.value, e.target, e.props
FROM sessions s
JOIN event_rows e ON e.id BETWEEN s.id * 4096 AND s.id * 4096 + 4095
JOIN strings p ON p.id = e.path
LEFT JOIN strings n ON n.id = e.name;
