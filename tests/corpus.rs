//! Golden test: the real binary over every corpus document (source and PDF), compared with
//! the expected result written from the legal reading (`corpus/expected/*.toml`): status,
//! Ampel, every checklist status, and the expected findings where listed. No exceptions list.

mod common;

use std::collections::BTreeMap;

use ampel::report::wire::DocumentRecord;
use assert_cmd::Command;
use common::{Actual, Confusion, compare, corpus};

#[test]
fn corpus_matches_the_legal_reading() {
    let docs = corpus();
    assert!(docs.len() >= 6, "the corpus has at least 6 agreements");
    let files: Vec<String> = docs
        .iter()
        .flat_map(|d| d.files.iter().map(|f| f.display().to_string()))
        .collect();
    let out = Command::cargo_bin("ampel")
        .unwrap()
        .args(["scan", "--format", "jsonl"])
        .args(&files)
        .output()
        .unwrap();
    let records: BTreeMap<String, DocumentRecord> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<DocumentRecord>(l).expect("strict record"))
        .map(|r| (r.path.clone(), r))
        .collect();
    assert_eq!(records.len(), files.len(), "one record per file");

    let mut failures = Vec::new();
    let mut confusion = Confusion::default();
    for doc in &docs {
        for file in &doc.files {
            let record = &records[&file.display().to_string()];
            let got = Actual::of(record);
            confusion.add(&doc.expected, &got);
            let diffs = compare(&doc.expected, &got);
            if !diffs.is_empty() {
                let shown = file
                    .strip_prefix(common::corpus_dir())
                    .unwrap_or(file)
                    .display()
                    .to_string();
                failures.push(format!("{shown}:\n  {}", diffs.join("\n  ")));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus files differ from their expected result:\n{}\n\nper requirement:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n"),
        confusion.table()
    );
}
