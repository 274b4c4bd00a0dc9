//! What commands return on failure: the application's [`ApiError`], which serialises as
//! `{ "code": "unavailable", "message": "…" }` with a stable `code` the UI can switch on.

pub use skopos_api::ApiError as CommandError;

pub type CommandResult<T> = Result<T, CommandError>;

/// The data folder could not be opened at start (the status says why).
pub fn not_open() -> CommandError {
    CommandError::unavailable("the data folder is not open; see the collector status")
}
