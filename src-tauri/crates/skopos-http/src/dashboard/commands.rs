//! `POST /api/<command>`: the body is the command's request as JSON, the answer its
//! result; the same commands, by the same names, as the desktop app's IPC.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Serialize;
use skopos_api::commands::{self, types::*};
use skopos_api::{ApiError, ErrorCode};

use super::guard::LoggedInUser;
use super::{error_response, Dashboard};

pub(super) async fn call(
    State(dash): State<Dashboard>,
    Path(command): Path<String>,
    _user: LoggedInUser,
    body: axum::body::Bytes,
) -> Response {
    match run(&dash, &command, &body).await {
        Ok(response) => response,
        Err(error) => error_response(&error),
    }
}

fn request<T: DeserializeOwned>(command: &str, body: &[u8]) -> Result<T, ApiError> {
    let body = if body.is_empty() {
        b"{}".as_slice()
    } else {
        body
    };
    serde_json::from_slice(body)
        .map_err(|error| ApiError::invalid(format!("bad request for {command}: {error}")))
}

fn answer<T: Serialize>(result: Result<T, ApiError>) -> Result<Response, ApiError> {
    result.map(|value| Json(value).into_response())
}

macro_rules! dispatch {
    (
        app { $($name:ident($args:ty) -> $result:ty,)* }
        host { $($host:ident($host_args:ty) -> $host_result:ty,)* }
        desktop { $($desktop:ident($desktop_args:ty) -> $desktop_result:ty,)* }
    ) => {
        async fn run(dash: &Dashboard, command: &str, body: &[u8]) -> Result<Response, ApiError> {
            match command {
                $(stringify!($name) => answer(
                    commands::$name(&dash.app, request::<$args>(command, body)?).await,
                ),)*
                $(stringify!($host) => answer(
                    $host(dash, request::<$host_args>(command, body)?),
                ),)*
                $(stringify!($desktop))|* => Err(ApiError {
                    code: ErrorCode::NotFound,
                    message: format!("{command} exists only in the desktop app"),
                }),
                _ => Err(ApiError::not_found("command")),
            }
        }
    };
}
skopos_api::for_each_command!(dispatch);

fn app_info(dash: &Dashboard, _: NoArgs) -> Result<AppInfo, ApiError> {
    Ok(dash.config.app_info.clone())
}

fn settings(dash: &Dashboard, _: NoArgs) -> Result<SettingsView, ApiError> {
    Ok(dash.config.settings.clone())
}

fn save_settings(_: &Dashboard, _: SaveSettingsArgs) -> Result<SettingsView, ApiError> {
    Err(ApiError::invalid(
        "the server's settings come from its flags, environment and skopos.toml; change them there and restart it",
    ))
}
