//! Build script: generates the Tauri context (config, assets, icons) and the ACL from
//! `tauri.conf.json` at the repository root and the capabilities in `src-tauri/capabilities/`.

fn main() {
    // The package root is the repository root, so point tauri-build at our capabilities
    // folder; a custom path needs its own rerun-if-changed.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("src-tauri/capabilities/**/*"),
    )
    .expect("failed to run tauri-build");
}
