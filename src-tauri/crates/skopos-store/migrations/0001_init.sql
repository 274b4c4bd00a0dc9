-- Skopos schema, version 1. Timestamps are Unix milliseconds (UTC).
-- No table has a column for a raw IP address or a raw user agent: by construction.

CREATE TABLE sites (
    id               INTEGER PRIMARY KEY,
    tracking_id      TEXT    NOT NULL UNIQUE,
    name             TEXT    NOT NULL,
    domain           TEXT    NOT NULL,
    allowed_origins  TEXT    NOT NULL DEFAULT '[]',   -- JSON array of host patterns
    privacy_mode     TEXT    NOT NULL DEFAULT 'strict'
                     CHECK (privacy_mode IN ('strict', 'network', 'persistent')),
    ip_exclusions    TEXT    NOT NULL DEFAULT '[]',   -- JSON array of CIDR networks
    ignore_localhost INTEGER NOT NULL DEFAULT 1,
    timezone         TEXT    NOT NULL DEFAULT 'UTC',
    created_at       INTEGER NOT NULL,
    archived_at      INTEGER
);

-- Keys for visitor hashing; rows of past periods are deleted as soon as a new one starts.
CREATE TABLE salts (
    scope      TEXT    NOT NULL CHECK (scope IN ('daily', 'network', 'persistent')),
    period     INTEGER NOT NULL,
    secret     BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (scope, period)
) WITHOUT ROWID;

CREATE TABLE visitors (
    site_id       INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    visitor_id    INTEGER NOT NULL,  -- truncated keyed hash, see skopos_core::visitor
    first_seen    INTEGER NOT NULL,
    last_seen     INTEGER NOT NULL,
    user_id       TEXT,
    name          TEXT,
    email         TEXT,
    phone         TEXT,
    metadata      TEXT,              -- JSON object
    identified_at INTEGER,
    PRIMARY KEY (site_id, visitor_id)
) WITHOUT ROWID;
CREATE INDEX visitors_user ON visitors (site_id, user_id) WHERE user_id IS NOT NULL;

CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY,
    site_id         INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    visitor_id      INTEGER NOT NULL,
    started_at      INTEGER NOT NULL,
    last_seen       INTEGER NOT NULL,
    entry_path      TEXT    NOT NULL,
    exit_path       TEXT    NOT NULL,
    pageviews       INTEGER NOT NULL DEFAULT 0,
    events          INTEGER NOT NULL DEFAULT 0,
    engaged_seconds INTEGER NOT NULL DEFAULT 0,
    referrer_host   TEXT,
    channel         TEXT    NOT NULL,
    utm_source      TEXT,
    utm_medium      TEXT,
    utm_campaign    TEXT,
    utm_term        TEXT,
    utm_content     TEXT,
    browser         TEXT,
    browser_version TEXT,
    os              TEXT,
    device          TEXT    NOT NULL,
    country         TEXT,
    region          TEXT,
    language        TEXT,
    screen          TEXT
);
CREATE INDEX sessions_site_started ON sessions (site_id, started_at);
CREATE INDEX sessions_site_last_seen ON sessions (site_id, last_seen);
CREATE INDEX sessions_visitor ON sessions (site_id, visitor_id, last_seen);

CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    site_id    INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    visitor_id INTEGER NOT NULL,
    ts         INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('pageview', 'custom', 'outbound', 'download')),
    path       TEXT    NOT NULL,
    name       TEXT,               -- custom events
    target     TEXT,               -- outbound and download links
    props      TEXT                -- JSON object, custom events
);
CREATE INDEX events_site_kind_ts ON events (site_id, kind, ts);
CREATE INDEX events_session ON events (session_id);

CREATE TABLE error_groups (
    id          INTEGER PRIMARY KEY,
    site_id     INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    fingerprint TEXT    NOT NULL,
    message     TEXT    NOT NULL,
    stack       TEXT,
    source      TEXT,
    line        INTEGER,
    col         INTEGER,
    occurrences INTEGER NOT NULL,
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'ignored')),
    UNIQUE (site_id, fingerprint)
);

-- Every report of an error; only the most recent few per group keep their breadcrumbs.
CREATE TABLE error_occurrences (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES error_groups (id) ON DELETE CASCADE,
    site_id     INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    session_id  INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
    ts          INTEGER NOT NULL,
    path        TEXT    NOT NULL,
    count       INTEGER NOT NULL,
    browser     TEXT,
    os          TEXT,
    breadcrumbs TEXT                -- JSON array
);
CREATE INDEX error_occurrences_group ON error_occurrences (group_id, id);
CREATE INDEX error_occurrences_site_ts ON error_occurrences (site_id, ts);
CREATE INDEX error_occurrences_session ON error_occurrences (session_id);
