//! `patterns/README.md` is generated from the pack; this fails when it is stale.

use ampel::rules::{Pack, catalogue};

#[test]
fn rule_catalogue_is_up_to_date() {
    let pack = Pack::embedded().expect("built-in pack");
    let expected = catalogue::markdown(&pack);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/patterns/README.md");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == expected,
        "patterns/README.md is stale: regenerate it with\n  cargo run -- rules list --format markdown > patterns/README.md"
    );
}
