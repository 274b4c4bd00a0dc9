//! Erasing a visitor, or an identified user's visitors, with everything about them.
//!
//! It runs on the writer, between batches, so the session cache can forget them in the
//! same step: a cached session whose row is gone would otherwise take the visitor's next
//! hit down with it. What their rolled-up visitor-days added to the rollups is subtracted
//! in the same transaction.

use serde::{Deserialize, Serialize};
use sqlx::{Connection, QueryBuilder, Sqlite, SqliteConnection};
use tokio::sync::oneshot;

use super::sessions::SessionCache;
use super::SubmitError;
use crate::event_rows::of_session;
use crate::reports::rollups::push_contributions;
use ts_rs::TS;

/// Whom to erase: `{"visitor": "<id>"}` or `{"user": "<user id>"}` in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Visitor(
        #[serde(with = "skopos_core::id_string")]
        #[ts(type = "string")]
        i64,
    ),
    /// Every visitor identified with this user id.
    User(String),
}

/// What an erasure removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct Erased {
    pub visitors: u64,
    pub sessions: u64,
    pub events: u64,
    pub error_reports: u64,
}

pub(super) struct EraseJob {
    pub site_id: i64,
    pub subject: Subject,
    pub done: oneshot::Sender<Result<Erased, SubmitError>>,
}

pub(super) async fn erase(
    connection: &mut SqliteConnection,
    cache: &mut SessionCache,
    job: EraseJob,
) {
    let result = run(connection, job.site_id, &job.subject).await;
    match &result {
        Ok((visitors, _)) => {
            for &visitor_id in visitors {
                cache.forget((job.site_id, visitor_id));
            }
        }
        Err(_) => cache.reset(connection).await,
    }
    let _ = job.done.send(
        result
            .map(|(_, erased)| erased)
            .map_err(|error| SubmitError::Write(error.to_string())),
    );
}

async fn run(
    connection: &mut SqliteConnection,
    site_id: i64,
    subject: &Subject,
) -> Result<(Vec<i64>, Erased), sqlx::Error> {
    let mut tx = connection.begin().await?;
    let visitors: Vec<i64> = match subject {
        Subject::Visitor(visitor_id) => {
            // Anonymous visitors have sessions but no row of their own.
            sqlx::query_scalar(
                "SELECT visitor_id FROM visitors WHERE site_id = ?1 AND visitor_id = ?2 \
                 UNION SELECT visitor_id FROM sessions WHERE visitor_id = ?2 AND site_id = ?1",
            )
            .bind(site_id)
            .bind(visitor_id)
            .fetch_all(&mut *tx)
            .await?
        }
        Subject::User(user_id) => {
            sqlx::query_scalar("SELECT visitor_id FROM visitors WHERE site_id = ? AND user_id = ?")
                .bind(site_id)
                .bind(user_id)
                .fetch_all(&mut *tx)
                .await?
        }
    };
    let mut erased = Erased {
        visitors: visitors.len() as u64,
        ..Erased::default()
    };
    if visitors.is_empty() {
        return Ok((visitors, erased));
    }
    // `s` is the subject's sessions in every statement below.
    let statement = |head: &str, tail: &str| {
        let mut sql = QueryBuilder::<Sqlite>::new(head);
        sql.push("(SELECT s.id FROM sessions s WHERE");
        push_visitors(&mut sql, "s.", site_id, &visitors);
        sql.push(")").push(tail);
        sql
    };
    let mut subtract = statement(
        "INSERT INTO temp.moving (id) SELECT id FROM sessions WHERE rolled = 1 AND id IN ",
        ";\n",
    );
    push_contributions(&mut subtract, -1);
    subtract.push("DELETE FROM temp.moving;");
    subtract.build().execute(&mut *tx).await?;
    erased.error_reports = statement("DELETE FROM error_occurrences WHERE session_id IN ", "")
        .build()
        .execute(&mut *tx)
        .await?
        .rows_affected();
    erased.events = 0;
    for table in ["pageviews", "event_rows"] {
        let mut events = QueryBuilder::<Sqlite>::new(format!(
            "DELETE FROM {table} WHERE id IN (SELECT e.id FROM sessions s JOIN {table} e ON {} WHERE",
            of_session("s", "e")
        ));
        push_visitors(&mut events, "s.", site_id, &visitors);
        events.push(")");
        erased.events += events.build().execute(&mut *tx).await?.rows_affected();
    }
    erased.sessions = statement("DELETE FROM sessions WHERE id IN ", "")
        .build()
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let mut delete = QueryBuilder::<Sqlite>::new("DELETE FROM visitors WHERE");
    push_visitors(&mut delete, "", site_id, &visitors);
    delete.build().execute(&mut *tx).await?;
    tx.commit().await?;
    Ok((visitors, erased))
}

/// ` {prefix}site_id = ? AND {prefix}visitor_id IN (?, …)`; with a prefix (sessions), the
/// site is not used for an index, so that sessions are found by visitor.
fn push_visitors(sql: &mut QueryBuilder<'_, Sqlite>, prefix: &str, site_id: i64, visitors: &[i64]) {
    let unindexed = if prefix.is_empty() { "" } else { "+" };
    sql.push(format_args!(" {unindexed}{prefix}site_id = "))
        .push_bind(site_id)
        .push(format_args!(" AND {prefix}visitor_id IN ("));
    let mut list = sql.separated(", ");
    for &visitor_id in visitors {
        list.push_bind(visitor_id);
    }
    sql.push(")");
}
