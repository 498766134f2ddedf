//! The regression inputs of the fuzz targets (`tests/regressions/fuzz/`) and the tables that pin
//! what ampel does with each, shared by `tests/hostile.rs` (extraction inputs) and
//! `tests/rules_hostile.rs` (rule-pack inputs).

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// The folder of the inputs and their tables.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/fuzz")
}

/// Reads the table `name` of the folder and checks that it pins exactly the inputs whose names
/// start with `prefix` (`pinned` lists the names a table pins): a new input fails the tests
/// until it has an entry.
pub fn table<T: DeserializeOwned>(
    name: &str,
    prefix: &str,
    pinned: impl Fn(&T) -> Vec<String>,
) -> T {
    let path = dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let table: T = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut present: Vec<String> = std::fs::read_dir(dir())
        .expect("tests/regressions/fuzz")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect();
    present.sort();
    let mut names = pinned(&table);
    names.sort();
    assert_eq!(
        present,
        names,
        "every `{prefix}*` input in the folder needs an entry in {}",
        path.display()
    );
    table
}
