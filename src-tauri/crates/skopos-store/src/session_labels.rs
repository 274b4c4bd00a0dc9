//! How sessions keep what describes them (migration 0011): where a session came from, what
//! it ran on and where it was are combinations of string ids shared by many sessions, each
//! kept once in its own table (`session_sources`, `session_clients`, `session_places`); a
//! session names one of each (`sessions.source`, `.client`, `.place`). Values are string
//! ids, NULL for none. Only the ingest writer adds combinations, handing out their ids.

use skopos_core::report::Dimension;

/// A table of combinations: `columns` of `table`, named by `sessions.{link}`.
pub(crate) struct Combination<const N: usize> {
    pub table: &'static str,
    pub link: &'static str,
    pub columns: [&'static str; N],
}

pub(crate) const SOURCE: Combination<7> = Combination {
    table: "session_sources",
    link: "source",
    columns: [
        "channel",
        "referrer_host",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
    ],
};

pub(crate) const CLIENT: Combination<6> = Combination {
    table: "session_clients",
    link: "client",
    columns: [
        "device",
        "browser",
        "browser_version",
        "os",
        "language",
        "screen",
    ],
};

pub(crate) const PLACE: Combination<2> = Combination {
    table: "session_places",
    link: "place",
    columns: ["country", "region"],
};

impl<const N: usize> Combination<N> {
    /// The string id `column` of the combination the session aliased `s` names.
    fn of_session(&self, column: &str) -> String {
        format!(
            "(SELECT {column} FROM {} WHERE id = s.{})",
            self.table, self.link
        )
    }
}

/// The expression of a session (aliased `s`) that holds a session dimension's value as a
/// string id; `None` for pages and events, which events hold.
pub(crate) fn session_column(dimension: Dimension) -> Option<String> {
    Some(match dimension {
        Dimension::EntryPage => "s.entry_path".into(),
        Dimension::ExitPage => "s.exit_path".into(),
        Dimension::Referrer => SOURCE.of_session("referrer_host"),
        Dimension::Channel => SOURCE.of_session("channel"),
        Dimension::UtmSource => SOURCE.of_session("utm_source"),
        Dimension::UtmMedium => SOURCE.of_session("utm_medium"),
        Dimension::UtmCampaign => SOURCE.of_session("utm_campaign"),
        Dimension::UtmTerm => SOURCE.of_session("utm_term"),
        Dimension::UtmContent => SOURCE.of_session("utm_content"),
        Dimension::Country => PLACE.of_session("country"),
        Dimension::Region => PLACE.of_session("region"),
        Dimension::Browser => CLIENT.of_session("browser"),
        Dimension::Os => CLIENT.of_session("os"),
        Dimension::Device => CLIENT.of_session("device"),
        Dimension::Language => CLIENT.of_session("language"),
        Dimension::Screen => CLIENT.of_session("screen"),
        Dimension::Page | Dimension::Event => return None,
    })
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

    use crate::{Durability, Store};

    type Readable = (
        i64,
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    );

    const READ: &str = "SELECT id, last_seen, channel, device, referrer_host, browser, region \
                        FROM sessions_readable ORDER BY id";

    /// A database at migration 0010 with three sessions (two with the same labels, one
    /// with none of the optional ones) and an error report linked to one, brought up to
    /// date (combinations, lengths instead of last seen, pageviews in their own table):
    /// the sessions read the same, share combinations, keep the link and their events.
    #[tokio::test]
    async fn sessions_keep_their_labels_when_they_move_to_combinations() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("skopos.db");
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .unwrap();
        let mut before = sqlx::migrate!("./migrations");
        let older: Vec<_> = before
            .migrations
            .iter()
            .filter(|m| m.version < 11)
            .cloned()
            .collect();
        before.migrations = Cow::Owned(older);
        before.run(&pool).await.unwrap();
        sqlx::raw_sql(
            "INSERT INTO sites (id, tracking_id, name, domain, created_at) \
             VALUES (1, 'abc', 'Example', 'example.com', 0);
             INSERT INTO strings (id, value) VALUES (1, '/'), (2, 'search'), (3, 'desktop'),
                 (4, 'duckduckgo.com'), (5, 'Firefox'), (6, 'BY'), (7, 'direct');
             INSERT INTO sessions (id, site_id, visitor_id, day, started_at, last_seen,
                 pageviews, events, engaged_seconds, entry_path, exit_path, channel, device,
                 referrer_host, browser, region)
             VALUES (10, 1, 100, 5, 0, 60000, 1, 0, 0, 1, 1, 2, 3, 4, 5, 6),
                    (11, 1, 101, 5, 0, 1, 1, 0, 0, 1, 1, 2, 3, 4, 5, 6),
                    (12, 1, 102, 5, 0, 1, 1, 0, 0, 1, 1, 7, 3, NULL, NULL, NULL);
             INSERT INTO event_rows (id, offset_ms, kind, path, name)
             VALUES (10 * 4096, 0, 0, 1, NULL), (10 * 4096 + 1, 500, 1, 1, 2);
             INSERT INTO error_groups (id, site_id, fingerprint, message, occurrences,
                 first_seen, last_seen) VALUES (1, 1, 'f', 'boom', 1, 0, 0);
             INSERT INTO error_occurrences (group_id, site_id, session_id, ts, path, count)
             VALUES (1, 1, 11, 0, '/', 1);",
        )
        .execute(&pool)
        .await
        .unwrap();
        let readable: Vec<Readable> = sqlx::query_as(READ).fetch_all(&pool).await.unwrap();
        pool.close().await;

        let store = Store::open(&path, Durability::Normal).await.unwrap();
        let after: Vec<Readable> = sqlx::query_as(READ).fetch_all(&store.pool).await.unwrap();
        assert_eq!(after, readable);
        assert_eq!(
            readable[2],
            (12, 1, "direct".into(), "desktop".into(), None, None, None)
        );
        let counts: (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM session_sources), \
             (SELECT COUNT(*) FROM session_clients), (SELECT COUNT(*) FROM session_places)",
        )
        .fetch_one(&store.pool)
        .await
        .unwrap();
        assert_eq!(counts, (2, 2, 2), "equal labels share a combination");
        let linked: Option<i64> = sqlx::query_scalar("SELECT session_id FROM error_occurrences")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(linked, Some(11));
        let events: Vec<(String, i64, String, Option<String>)> =
            sqlx::query_as("SELECT kind, ts, path, name FROM events ORDER BY id")
                .fetch_all(&store.pool)
                .await
                .unwrap();
        assert_eq!(
            events,
            [
                ("pageview".into(), 0, "/".into(), None),
                ("custom".into(), 500, "/".into(), Some("search".into()))
            ],
            "pageviews moved to their own table, in their place"
        );
    }
}
