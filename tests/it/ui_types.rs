//! The UI's TypeScript types are generated from the Rust ones (ts-rs) and must be fresh:
//! `ui/src/api/types.ts` declares every type a command takes or returns (and the web
//! dashboard's login types), `ui/src/api/commands.ts` maps each command to its request and
//! result. `SKOPOS_UPDATE_UI_TYPES=1 cargo test -p skopos-tests --test it ui_types`
//! rewrites them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use skopos_api::commands::types::*;
use skopos_api::LiveUpdate;
use ts_rs::{Config, TypeVisitor, TS};

const HEADER: &str = "// Generated from the Rust types by `SKOPOS_UPDATE_UI_TYPES=1 cargo test -p \
                      skopos-tests --test it ui_types`; do not edit.\n";

/// Collects the declaration of every derived type reachable from the visited ones.
struct Declarations<'a> {
    cfg: &'a Config,
    found: BTreeMap<String, String>,
}

impl TypeVisitor for Declarations<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_none() {
            // A primitive or a container: what it holds may be declared.
            T::visit_dependencies(self);
            T::visit_generics(self);
            return;
        }
        let name = T::ident(self.cfg);
        if self.found.contains_key(&name) {
            return;
        }
        let docs = T::docs().unwrap_or_default();
        self.found
            .insert(name, format!("{docs}export {}\n", T::decl(self.cfg)));
        T::visit_dependencies(self);
    }
}

/// One command's line in `commands.ts`, and which group it is in.
struct Entry {
    name: &'static str,
    group: &'static str,
    args: String,
    result: String,
}

macro_rules! entries {
    ($($group:ident { $($name:ident($args:ty) -> $result:ty,)* })*) => {
        fn commands(cfg: &Config, types: &mut Declarations) -> Vec<Entry> {
            let mut entries = Vec::new();
            $($(
                types.visit::<$args>();
                types.visit::<$result>();
                entries.push(Entry {
                    name: stringify!($name),
                    group: stringify!($group),
                    args: <$args as TS>::name(cfg),
                    result: <$result as TS>::name(cfg),
                });
            )*)*
            entries
        }
    };
}
skopos_api::for_each_command!(entries);

fn ui_api_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/api")
}

/// `Array<Site>` as `commands.ts` names it: `Array<T.Site>`.
fn qualified(ts: &str, declared: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut word = String::new();
    for c in ts.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if declared.contains_key(&word) {
            out.push_str("T.");
        }
        out.push_str(&word);
        word.clear();
        out.push(c);
    }
    out.pop();
    out
}

fn generate() -> (String, String) {
    let cfg = Config::new().with_large_int("number");
    let mut types = Declarations {
        cfg: &cfg,
        found: BTreeMap::new(),
    };
    let entries = commands(&cfg, &mut types);
    types.visit::<LiveUpdate>();
    types.visit::<skopos_api::Period>();
    types.visit::<skopos_api::ApiError>();
    types.visit::<skopos_http::dashboard::AuthState>();
    types.visit::<skopos_http::dashboard::Credentials>();
    types.visit::<skopos_http::dashboard::LoggedIn>();
    let declared = types.found;
    let types_ts = std::iter::once(HEADER.to_owned())
        .chain(declared.values().map(|decl| format!("\n{decl}")))
        .collect::<String>();

    let mut commands_ts = format!("{HEADER}\nimport type * as T from './types';\n\n");
    commands_ts.push_str(
        "/** Every command: what it takes and what it answers. */\nexport interface Commands {\n",
    );
    for entry in &entries {
        commands_ts.push_str(&format!(
            "  {}: {{ args: {}; result: {} }};\n",
            entry.name,
            qualified(&entry.args, &declared),
            qualified(&entry.result, &declared)
        ));
    }
    commands_ts.push_str("}\n");
    for (group, doc) in [
        (
            "host",
            "Commands the hosting program (desktop shell or web server) answers.",
        ),
        ("desktop", "Commands only the desktop app has."),
    ] {
        let names: Vec<String> = entries
            .iter()
            .filter(|entry| entry.group == group)
            .map(|entry| format!("'{}'", entry.name))
            .collect();
        commands_ts.push_str(&format!(
            "\n/** {doc} */\nexport const {}_COMMANDS = [{}] as const;\n",
            group.to_uppercase(),
            names.join(", ")
        ));
    }
    (types_ts, commands_ts)
}

#[test]
fn ui_types_are_generated_from_the_rust_ones() {
    let (types_ts, commands_ts) = generate();
    let dir = ui_api_dir();
    let files = [("types.ts", types_ts), ("commands.ts", commands_ts)];
    if std::env::var_os("SKOPOS_UPDATE_UI_TYPES").is_some() {
        for (name, text) in &files {
            std::fs::write(dir.join(name), text).unwrap();
        }
        return;
    }
    for (name, text) in &files {
        let path = dir.join(name);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == *text,
            "{} is stale: run `SKOPOS_UPDATE_UI_TYPES=1 cargo test -p skopos-tests --test it ui_types`",
            path.display()
        );
    }
}

#[test]
fn command_requests_reject_what_they_do_not_describe() {
    // Visitor ids travel as strings: a number would lose digits in JavaScript.
    let erase: EraseArgs = serde_json::from_value(
        serde_json::json!({"site_id": 1, "subject": {"visitor": "9007199254740993"}}),
    )
    .unwrap();
    assert_eq!(
        erase.subject,
        skopos_api::Subject::Visitor(9_007_199_254_740_993)
    );
    for bad in [
        serde_json::json!({"site_id": 1, "subject": {"visitor": 12}}),
        serde_json::json!({"site_id": 1, "subject": {"robot": "x"}}),
        serde_json::json!({"subject": {"user": "u"}}),
    ] {
        assert!(serde_json::from_value::<EraseArgs>(bad).is_err());
    }
    let report: BreakdownArgs = serde_json::from_value(serde_json::json!({
        "site_id": 2, "period": "last_days", "days": 7, "filters": [],
        "dimension": "page", "offset": 0, "limit": 10
    }))
    .unwrap();
    assert_eq!(
        report.query.period,
        skopos_api::Period::LastDays { days: 7 }
    );
    assert!(serde_json::from_value::<NoArgs>(serde_json::json!({"x": 1})).is_err());
}
