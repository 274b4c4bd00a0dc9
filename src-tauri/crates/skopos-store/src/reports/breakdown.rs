//! Breakdowns: a scope's totals per value of one dimension, biggest first, paged.

use std::collections::HashMap;

use serde::Serialize;
use skopos_core::report::{Dimension, Totals};

use super::scope::Scope;
use super::totals::{Key, Source};
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreakdownRow {
    /// `None` for sessions without a value (a direct visit has no referrer).
    pub value: Option<String>,
    /// For pages, `pageviews` counts views of that page and `errors` errors on it; for
    /// events, `events` counts how often it fired. The rest describe the sessions.
    #[serde(flatten)]
    pub totals: Totals,
    /// This row's visitors as a share of all the scope's visitors.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreakdownPage {
    pub rows: Vec<BreakdownRow>,
    /// Rows over all pages.
    pub total_rows: usize,
    pub offset: usize,
}

impl Store {
    pub async fn breakdown(
        &self,
        scope: &Scope<'_>,
        dimension: Dimension,
        offset: usize,
        limit: usize,
        source: Source,
    ) -> Result<BreakdownPage, StoreError> {
        let grouped: HashMap<Option<String>, Totals> = self
            .grouped_totals(scope, &Key::Dimension(dimension), source)
            .await?;
        let all_visitors = self.totals(scope, source).await?.visitors;
        let mut rows: Vec<BreakdownRow> = grouped
            .into_iter()
            .map(|(value, totals)| BreakdownRow {
                value,
                share: if all_visitors > 0 {
                    totals.visitors as f64 / all_visitors as f64
                } else {
                    0.0
                },
                totals,
            })
            .collect();
        rows.sort_by(|a, b| {
            (b.totals.visitors, b.totals.pageviews + b.totals.events)
                .cmp(&(a.totals.visitors, a.totals.pageviews + a.totals.events))
                .then_with(|| a.value.cmp(&b.value))
        });
        let total_rows = rows.len();
        let rows = rows.into_iter().skip(offset).take(limit).collect();
        Ok(BreakdownPage {
            rows,
            total_rows,
            offset,
        })
    }
}
