//! The writer's view of a combinations table (see [`crate::session_labels`]): the ids of
//! the combinations of string ids that describe sessions.
//!
//! As with strings, the writer hands out ids itself and inserts new combinations in the
//! batch that first uses them; combinations it has not seen are looked up once per batch.
//! After a failed transaction the ids handed out may not exist, so it starts over.

use std::collections::HashMap;

use skopos_core::hit::Visit;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};

use super::batch::MAX_PARAMS;
use super::strings::{StringCache, MOST_CACHED};
use crate::session_labels::{Combination, CLIENT, PLACE, SOURCE};

/// A combination's values: string ids, `None` for none.
pub(super) type Values<const N: usize> = [Option<i64>; N];

pub(super) struct CombinationCache<const N: usize> {
    table: &'static Combination<N>,
    ids: HashMap<Values<N>, i64>,
    next_id: i64,
    /// Handed out since the last [`Self::push_new`], to be inserted.
    new: Vec<(i64, Values<N>)>,
}

impl<const N: usize> CombinationCache<N> {
    pub async fn load(
        connection: &mut SqliteConnection,
        table: &'static Combination<N>,
    ) -> Result<Self, sqlx::Error> {
        let next_id = sqlx::query_scalar(&format!(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM {}",
            table.table
        ))
        .fetch_one(&mut *connection)
        .await?;
        Ok(Self {
            table,
            ids: HashMap::new(),
            next_id,
            new: Vec::new(),
        })
    }

    /// Forgets everything after a failed transaction.
    pub async fn reset(&mut self, connection: &mut SqliteConnection) {
        match Self::load(connection, self.table).await {
            Ok(fresh) => *self = fresh,
            Err(error) => {
                tracing::error!(%error, table = self.table.table, "cannot reload combination ids");
                self.ids.clear();
                self.new.clear();
            }
        }
    }

    /// Makes sure every combination the database has among `wanted` is known.
    pub async fn fetch_missing(
        &mut self,
        connection: &mut SqliteConnection,
        wanted: impl Iterator<Item = Values<N>>,
    ) -> Result<(), sqlx::Error> {
        if self.ids.len() > MOST_CACHED {
            self.ids.clear();
        }
        let mut missing: Vec<Values<N>> = wanted.filter(|v| !self.ids.contains_key(v)).collect();
        missing.sort_unstable();
        missing.dedup();
        if missing.is_empty() {
            return Ok(());
        }
        let columns = &self.table.columns;
        let matches = columns
            .iter()
            .enumerate()
            .map(|(index, column)| format!("t.{column} IS v.column{}", index + 1))
            .collect::<Vec<_>>()
            .join(" AND ");
        for chunk in missing.chunks(MAX_PARAMS / N) {
            let mut select: QueryBuilder<Sqlite> = QueryBuilder::new("WITH v AS (");
            select.push_values(chunk, |mut row, values| {
                for value in values {
                    row.push_bind(*value);
                }
            });
            select.push(format_args!(
                ") SELECT t.id, t.{} FROM v JOIN {} t ON {matches}",
                columns.join(", t."),
                self.table.table
            ));
            for row in select
                .build()
                .persistent(false)
                .fetch_all(&mut *connection)
                .await?
            {
                let mut values = [None; N];
                for (index, value) in values.iter_mut().enumerate() {
                    *value = row.try_get(index + 1)?;
                }
                self.ids.insert(values, row.try_get(0)?);
            }
        }
        Ok(())
    }

    /// The id of a combination, handing out a new one if it has none; call
    /// [`Self::fetch_missing`] first.
    pub fn id_of(&mut self, values: Values<N>) -> i64 {
        if let Some(&id) = self.ids.get(&values) {
            return id;
        }
        let id = self.next_id;
        self.next_id += 1;
        self.ids.insert(values, id);
        self.new.push((id, values));
        id
    }

    /// Appends the inserts of the combinations handed out since the last call.
    pub fn push_new(&mut self, sql: &mut QueryBuilder<'_, Sqlite>) {
        for chunk in self.new.chunks(MAX_PARAMS / (N + 1)) {
            sql.push(format_args!(
                "INSERT INTO {} (id, {}) ",
                self.table.table,
                self.table.columns.join(", ")
            ));
            sql.push_values(chunk, |mut row, (id, values)| {
                row.push_bind(*id);
                for value in values {
                    row.push_bind(*value);
                }
            });
            sql.push(";\n");
        }
        self.new.clear();
    }
}

/// A new session's combinations' ids.
#[derive(Debug, Clone, Copy)]
pub(super) struct Labels {
    pub source: i64,
    pub client: i64,
    pub place: i64,
}

/// The caches of the three combination tables.
pub(super) struct LabelCaches {
    sources: CombinationCache<7>,
    clients: CombinationCache<6>,
    places: CombinationCache<2>,
}

impl LabelCaches {
    pub async fn load(connection: &mut SqliteConnection) -> Result<Self, sqlx::Error> {
        Ok(Self {
            sources: CombinationCache::load(connection, &SOURCE).await?,
            clients: CombinationCache::load(connection, &CLIENT).await?,
            places: CombinationCache::load(connection, &PLACE).await?,
        })
    }

    pub async fn reset(&mut self, connection: &mut SqliteConnection) {
        self.sources.reset(connection).await;
        self.clients.reset(connection).await;
        self.places.reset(connection).await;
    }

    /// Makes sure the combinations of `visits` the database has are known; `strings`
    /// must know the strings the database has among the visits' texts. A combination
    /// with a string the database lacks is new.
    pub async fn fetch_missing<'a>(
        &mut self,
        connection: &mut SqliteConnection,
        strings: &StringCache,
        visits: impl Iterator<Item = &'a Visit> + Clone,
    ) -> Result<(), sqlx::Error> {
        self.sources
            .fetch_missing(
                connection,
                visits
                    .clone()
                    .filter_map(|v| known(strings, source_texts(v))),
            )
            .await?;
        self.clients
            .fetch_missing(
                connection,
                visits
                    .clone()
                    .filter_map(|v| known(strings, client_texts(v))),
            )
            .await?;
        self.places
            .fetch_missing(
                connection,
                visits.filter_map(|v| known(strings, place_texts(v))),
            )
            .await
    }

    /// The combinations describing a visit, handing out ids (of strings too) for new
    /// ones; call [`Self::fetch_missing`] first.
    pub fn labels_of(&mut self, visit: &Visit, strings: &mut StringCache) -> Labels {
        let mut ids = |text: Option<&str>| text.map(|text| strings.id_of(text));
        let source = source_texts(visit).map(&mut ids);
        let client = client_texts(visit).map(&mut ids);
        let place = place_texts(visit).map(&mut ids);
        Labels {
            source: self.sources.id_of(source),
            client: self.clients.id_of(client),
            place: self.places.id_of(place),
        }
    }

    /// Appends the inserts of the combinations handed out since the last call.
    pub fn push_new(&mut self, sql: &mut QueryBuilder<'_, Sqlite>) {
        self.sources.push_new(sql);
        self.clients.push_new(sql);
        self.places.push_new(sql);
    }
}

/// The string ids of texts, if the database has them all.
fn known<const N: usize>(strings: &StringCache, texts: [Option<&str>; N]) -> Option<Values<N>> {
    let mut values = [None; N];
    for (value, text) in values.iter_mut().zip(texts) {
        if let Some(text) = text {
            *value = Some(strings.known(text)?);
        }
    }
    Some(values)
}

/// Every text that describes a visit, to be interned.
pub(super) fn label_texts(visit: &Visit) -> impl Iterator<Item = &str> {
    source_texts(visit)
        .into_iter()
        .chain(client_texts(visit))
        .chain(place_texts(visit))
        .flatten()
}

/// A visit's texts in the column order of [`SOURCE`].
fn source_texts(visit: &Visit) -> [Option<&str>; 7] {
    let utm = &visit.utm;
    [
        Some(visit.channel.as_str()),
        visit.referrer_host.as_deref(),
        utm.source.as_deref(),
        utm.medium.as_deref(),
        utm.campaign.as_deref(),
        utm.term.as_deref(),
        utm.content.as_deref(),
    ]
}

/// A visit's texts in the column order of [`CLIENT`].
fn client_texts(visit: &Visit) -> [Option<&str>; 6] {
    [
        Some(visit.device.as_str()),
        visit.browser.as_deref(),
        visit.browser_version.as_deref(),
        visit.os.as_deref(),
        visit.language.as_deref(),
        visit.screen.as_deref(),
    ]
}

/// A visit's texts in the column order of [`PLACE`].
fn place_texts(visit: &Visit) -> [Option<&str>; 2] {
    [visit.country.as_deref(), visit.region.as_deref()]
}
