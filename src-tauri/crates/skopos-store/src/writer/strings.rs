//! The writer's view of `strings`: the ids of interned paths and event names.
//!
//! Only the writer adds strings, so it hands out ids itself and inserts the new ones in
//! the batch that first uses them. Strings it has not seen are looked up once per batch.
//! After a failed transaction the ids handed out may not exist, so it starts over.

use std::collections::HashMap;

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// Strings looked up per query.
const FETCH_CHUNK: usize = 500;
/// Past this many, a cache of ids starts over rather than grow without end.
pub(super) const MOST_CACHED: usize = 200_000;

pub(super) struct StringCache {
    ids: HashMap<String, i64>,
    next_id: i64,
    /// Handed out since the last [`Self::take_new`], to be inserted.
    new: Vec<(i64, String)>,
}

impl StringCache {
    pub async fn load(connection: &mut SqliteConnection) -> Result<Self, sqlx::Error> {
        let next_id = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM strings")
            .fetch_one(&mut *connection)
            .await?;
        Ok(Self {
            ids: HashMap::new(),
            next_id,
            new: Vec::new(),
        })
    }

    /// Forgets everything after a failed transaction.
    pub async fn reset(&mut self, connection: &mut SqliteConnection) {
        match Self::load(connection).await {
            Ok(fresh) => *self = fresh,
            Err(error) => {
                tracing::error!(%error, "cannot reload string ids");
                self.ids.clear();
                self.new.clear();
            }
        }
    }

    /// Makes sure every string the database has among `values` is known.
    pub async fn fetch_missing<'a>(
        &mut self,
        connection: &mut SqliteConnection,
        values: impl Iterator<Item = &'a str>,
    ) -> Result<(), sqlx::Error> {
        if self.ids.len() > MOST_CACHED {
            self.ids.clear();
        }
        let mut missing: Vec<&str> = values.filter(|v| !self.ids.contains_key(*v)).collect();
        missing.sort_unstable();
        missing.dedup();
        for chunk in missing.chunks(FETCH_CHUNK) {
            let mut select: QueryBuilder<Sqlite> =
                QueryBuilder::new("SELECT id, value FROM strings WHERE value IN (");
            let mut list = select.separated(", ");
            for value in chunk {
                list.push_bind(*value);
            }
            select.push(")");
            let rows: Vec<(i64, String)> = select
                .build_query_as()
                .persistent(false)
                .fetch_all(&mut *connection)
                .await?;
            self.ids
                .extend(rows.into_iter().map(|(id, value)| (value, id)));
        }
        Ok(())
    }

    /// The id of a string the database or this batch has, if it is known; call
    /// [`Self::fetch_missing`] first.
    pub fn known(&self, value: &str) -> Option<i64> {
        self.ids.get(value).copied()
    }

    /// The id of a string, handing out a new one if it has none; call
    /// [`Self::fetch_missing`] first.
    pub fn id_of(&mut self, value: &str) -> i64 {
        if let Some(&id) = self.ids.get(value) {
            return id;
        }
        let id = self.next_id;
        self.next_id += 1;
        self.ids.insert(value.to_owned(), id);
        self.new.push((id, value.to_owned()));
        id
    }

    /// The strings handed out since the last call, to insert with the batch.
    pub fn take_new(&mut self) -> Vec<(i64, String)> {
        std::mem::take(&mut self.new)
    }
}
