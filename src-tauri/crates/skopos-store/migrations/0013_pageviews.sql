-- Pageviews, nine events in ten, get a table of their own with only their time and path:
-- a pageview row no longer carries a kind and three empty columns. Rowids stay as they
-- were (the session's id times 4096 plus the place in it), so a session's pageviews and
-- other events are still one rowid range each.
CREATE TABLE pageviews (
    id        INTEGER PRIMARY KEY,  -- session id * 4096 + place in the session (0..4095)
    offset_ms INTEGER NOT NULL,     -- after the session started
    path      INTEGER NOT NULL      -- strings.id
);
INSERT INTO pageviews (id, offset_ms, path)
SELECT id, offset_ms, path FROM event_rows WHERE kind = 0 ORDER BY id;
DELETE FROM event_rows WHERE kind = 0;

DROP VIEW events;
CREATE VIEW events (id, site_id, session_id, ts, kind, path, name, target, props) AS
SELECT e.id, s.site_id, s.id, s.started_at + e.offset_ms, 'pageview', p.value, NULL, NULL, NULL
FROM sessions s
JOIN pageviews e ON e.id BETWEEN s.id * 4096 AND s.id * 4096 + 4095
JOIN strings p ON p.id = e.path
UNION ALL
SELECT e.id, s.site_id, s.id, s.started_at + e.offset_ms,
       CASE e.kind WHEN 1 THEN 'custom' WHEN 2 THEN 'outbound' ELSE 'download' END,
       p.value, n.value, e.target, e.props
FROM sessions s
JOIN event_rows e ON e.id BETWEEN s.id * 4096 AND s.id * 4096 + 4095
JOIN strings p ON p.id = e.path
LEFT JOIN strings n ON n.id = e.name;
