-- Rollups are kept per visitor-day: the sessions a visitor started on one local day are
-- rolled up together once they have all been idle past the session timeout, and the
-- ingest writer takes a visitor-day back out (subtracting what it added) in the
-- transaction that changes it. `rolled` keeps its meaning per session; every session of a
-- visitor-day has the same value.
--
-- Hourly totals join the daily ones; hours are UTC hours (hours since 1970), used for
-- the hourly series of sites whose local hours are UTC hours.
CREATE TABLE rollup_hours (
    site_id          INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    day              INTEGER NOT NULL,
    hour             INTEGER NOT NULL,
    visitors         INTEGER NOT NULL,
    sessions         INTEGER NOT NULL,
    pageviews        INTEGER NOT NULL,
    events           INTEGER NOT NULL,
    bounces          INTEGER NOT NULL,
    engaged          INTEGER NOT NULL,
    duration_seconds INTEGER NOT NULL,
    errors           INTEGER NOT NULL,
    PRIMARY KEY (site_id, day, hour)
) WITHOUT ROWID;

-- Per dimension value, totals are kept for single days and for aligned blocks of 7 and
-- 28 days (`day` is then the block's first day, a multiple of `days`), so that a long
-- range reads a few blocks instead of every day.
DROP TABLE rollup_values;
CREATE TABLE rollup_values (
    site_id          INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    dimension        TEXT    NOT NULL,
    days             INTEGER NOT NULL CHECK (days IN (1, 7, 28)),
    day              INTEGER NOT NULL,
    value            TEXT    NOT NULL,   -- '' stands for "none"
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

-- Everything is rolled up again, the new way (no retention has deleted raw data yet, so
-- nothing is lost).
DELETE FROM rollup_days WHERE (site_id, day) IN (SELECT DISTINCT site_id, day FROM sessions);
UPDATE sessions SET rolled = 0 WHERE rolled = 1;
