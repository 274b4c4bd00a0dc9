-- Daily rollups. A (site, day) is rolled up once no session filed under it can change any
-- more; its sessions are then marked `rolled`, in the same transaction that writes its
-- rows. Reports read rollup rows for rolled sessions and scan only sessions not rolled, so
-- the two never overlap and the answers are those of a full scan. Rollup rows outlive the
-- raw data that retention deletes.
ALTER TABLE sessions ADD COLUMN rolled INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sessions_unrolled ON sessions (site_id, day) WHERE rolled = 0;

-- The totals of a site's day (see skopos_core::report::Totals).
CREATE TABLE rollup_days (
    site_id          INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    day              INTEGER NOT NULL,
    visitors         INTEGER NOT NULL,
    sessions         INTEGER NOT NULL,
    pageviews        INTEGER NOT NULL,
    events           INTEGER NOT NULL,
    bounces          INTEGER NOT NULL,
    engaged          INTEGER NOT NULL,
    duration_seconds INTEGER NOT NULL,
    errors           INTEGER NOT NULL,
    PRIMARY KEY (site_id, day)
) WITHOUT ROWID;

-- The totals of a site's day per value of each dimension; '' stands for "none".
CREATE TABLE rollup_values (
    site_id          INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    dimension        TEXT    NOT NULL,
    day              INTEGER NOT NULL,
    value            TEXT    NOT NULL,
    visitors         INTEGER NOT NULL,
    sessions         INTEGER NOT NULL,
    pageviews        INTEGER NOT NULL,
    events           INTEGER NOT NULL,
    bounces          INTEGER NOT NULL,
    engaged          INTEGER NOT NULL,
    duration_seconds INTEGER NOT NULL,
    errors           INTEGER NOT NULL,
    PRIMARY KEY (site_id, dimension, day, value)
) WITHOUT ROWID;
