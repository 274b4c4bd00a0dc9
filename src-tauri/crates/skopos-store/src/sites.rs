//! The sites repository.

use skopos_core::site::{Site, SiteSettings};
use sqlx::query::QueryAs;
use sqlx::sqlite::SqliteArguments;
use sqlx::{FromRow, Sqlite};

use crate::{Store, StoreError};

#[derive(FromRow)]
struct SiteRow {
    id: i64,
    tracking_id: String,
    name: String,
    domain: String,
    allowed_origins: String,
    privacy_mode: String,
    ip_exclusions: String,
    ignore_localhost: bool,
    timezone: String,
    created_at: i64,
    archived_at: Option<i64>,
}

impl TryFrom<SiteRow> for Site {
    type Error = StoreError;
    fn try_from(row: SiteRow) -> Result<Self, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("site {}: {what}", row.id));
        Ok(Site {
            id: row.id,
            tracking_id: row.tracking_id.clone(),
            settings: SiteSettings {
                allowed_origins: serde_json::from_str(&row.allowed_origins)
                    .map_err(|_| corrupt("allowed origins"))?,
                privacy_mode: row
                    .privacy_mode
                    .parse()
                    .map_err(|_| corrupt("privacy mode"))?,
                ip_exclusions: serde_json::from_str(&row.ip_exclusions)
                    .map_err(|_| corrupt("ip exclusions"))?,
                name: row.name,
                domain: row.domain,
                ignore_localhost: row.ignore_localhost,
                timezone: row.timezone,
            },
            created_at_ms: row.created_at,
            archived_at_ms: row.archived_at,
        })
    }
}

const SITE_COLUMNS: &str = "id, tracking_id, name, domain, allowed_origins, privacy_mode, \
     ip_exclusions, ignore_localhost, timezone, created_at, archived_at";

type SiteQuery<'q> = QueryAs<'q, Sqlite, SiteRow, SqliteArguments<'q>>;

/// Binds the editable settings in the column order both `INSERT` and `UPDATE` use.
fn bind_settings<'q>(query: SiteQuery<'q>, settings: &'q SiteSettings) -> SiteQuery<'q> {
    query
        .bind(settings.name.as_str())
        .bind(settings.domain.as_str())
        .bind(json_list(&settings.allowed_origins))
        .bind(settings.privacy_mode.as_str())
        .bind(json_list(&settings.ip_exclusions))
        .bind(settings.ignore_localhost)
        .bind(settings.timezone.as_str())
}

fn json_list<T: serde::Serialize>(items: &[T]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_owned())
}

impl Store {
    /// Stores a new site; settings must already be validated.
    pub async fn insert_site(
        &self,
        tracking_id: &str,
        settings: &SiteSettings,
        now_ms: i64,
    ) -> Result<Site, StoreError> {
        let sql = format!(
            "INSERT INTO sites (name, domain, allowed_origins, privacy_mode, ip_exclusions, \
             ignore_localhost, timezone, tracking_id, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {SITE_COLUMNS}"
        );
        let row = bind_settings(sqlx::query_as(&sql), settings)
            .bind(tracking_id)
            .bind(now_ms)
            .fetch_one(&self.pool)
            .await?;
        row.try_into()
    }

    /// Replaces a site's settings.
    pub async fn update_site(&self, id: i64, settings: &SiteSettings) -> Result<Site, StoreError> {
        let sql = format!(
            "UPDATE sites SET name = ?, domain = ?, allowed_origins = ?, privacy_mode = ?, \
             ip_exclusions = ?, ignore_localhost = ?, timezone = ? WHERE id = ? \
             RETURNING {SITE_COLUMNS}"
        );
        let row = bind_settings(sqlx::query_as(&sql), settings)
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        row.try_into()
    }

    /// Archives (`Some(now)`) or restores (`None`) a site; archived sites collect nothing.
    pub async fn set_site_archived(
        &self,
        id: i64,
        archived_at_ms: Option<i64>,
    ) -> Result<Site, StoreError> {
        let row: SiteRow = sqlx::query_as(&format!(
            "UPDATE sites SET archived_at = ? WHERE id = ? RETURNING {SITE_COLUMNS}"
        ))
        .bind(archived_at_ms)
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        row.try_into()
    }

    pub async fn site(&self, id: i64) -> Result<Site, StoreError> {
        let row: SiteRow =
            sqlx::query_as(&format!("SELECT {SITE_COLUMNS} FROM sites WHERE id = ?"))
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        row.try_into()
    }

    pub async fn site_by_tracking_id(&self, tracking_id: &str) -> Result<Site, StoreError> {
        let row: SiteRow = sqlx::query_as(&format!(
            "SELECT {SITE_COLUMNS} FROM sites WHERE tracking_id = ?"
        ))
        .bind(tracking_id)
        .fetch_one(&self.pool)
        .await?;
        row.try_into()
    }

    /// All sites, oldest first.
    pub async fn sites(&self) -> Result<Vec<Site>, StoreError> {
        let rows: Vec<SiteRow> =
            sqlx::query_as(&format!("SELECT {SITE_COLUMNS} FROM sites ORDER BY id"))
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter().map(Site::try_from).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use skopos_core::visitor::PrivacyMode;

    fn settings() -> SiteSettings {
        SiteSettings {
            name: "Example".into(),
            domain: "example.com".into(),
            allowed_origins: vec!["localhost:3000".into()],
            privacy_mode: PrivacyMode::Network,
            ip_exclusions: vec!["10.0.0.0/8".parse().unwrap()],
            ignore_localhost: false,
            timezone: "Europe/Paris".into(),
        }
    }

    #[tokio::test]
    async fn sites_round_trip_through_the_file() {
        let (store, _dir) = testing::store().await;
        let site = store.insert_site("abc", &settings(), 5).await.unwrap();
        assert_eq!(site.settings, settings());
        assert_eq!(store.site_by_tracking_id("abc").await.unwrap(), site);
        let mut changed = settings();
        changed.name = "Renamed".into();
        changed.privacy_mode = PrivacyMode::Persistent;
        let updated = store.update_site(site.id, &changed).await.unwrap();
        assert_eq!(updated.settings.name, "Renamed");
        let archived = store.set_site_archived(site.id, Some(9)).await.unwrap();
        assert_eq!(archived.archived_at_ms, Some(9));
        assert_eq!(store.sites().await.unwrap(), vec![archived]);
    }

    #[tokio::test]
    async fn missing_and_duplicate_sites_are_typed_errors() {
        let (store, _dir) = testing::store().await;
        assert!(matches!(store.site(42).await, Err(StoreError::NotFound)));
        assert!(matches!(
            store.update_site(42, &settings()).await,
            Err(StoreError::NotFound)
        ));
        store.insert_site("abc", &settings(), 1).await.unwrap();
        assert!(matches!(
            store.insert_site("abc", &settings(), 1).await,
            Err(StoreError::Conflict)
        ));
        assert_eq!(store.sites().await.unwrap().len(), 1);
    }
}
