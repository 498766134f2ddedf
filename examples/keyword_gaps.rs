//! Where the keyword prefilter hides a match: for rule authors.
//! `cargo run --release --example keyword_gaps -- FILE...`
//!
//! A rule's patterns run only in scopes that contain one of its keywords. A pattern that can
//! match without any of them (`\bdata\sprotection\saddendum\b` with the keywords "processing
//! addendum" and "processor") fires only where a keyword happens to stand nearby, so the rule
//! misses its own wording. This runs each file twice through the production pipeline, once
//! with the pack as it is and once with every rule's keywords replaced by a few letters that
//! every scope holds, and prints each checklist status and finding that differs, with the
//! evidence of findings that only the ungated pack reports. A difference is either a missing
//! keyword (add it) or a pattern the keywords rightly keep out of a scope (leave it).
//!
//! Run it on the self-written corpus and the real corpus's dev split, never on the test split.

use std::collections::BTreeSet;
use std::path::Path;

use ampel::batch::analyse_bytes;
use ampel::report::wire::{DocumentRecord, record};
use ampel::rules::{Pack, Source};

/// Letters that every scope of real text holds: as keywords they gate nothing.
const UNGATED: &str = r#"keywords = ["e", "a", "i", "o", "u"]"#;

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: keyword_gaps FILE...");
        std::process::exit(2);
    }
    let gated = Pack::embedded().expect("built-in pack");
    let keywords = regex::Regex::new(r"(?m)^keywords = \[.*\]$").expect("keyword line regex");
    let sources = Pack::embedded_sources()
        .into_iter()
        .map(|s| Source {
            text: keywords.replace_all(&s.text, UNGATED).into_owned(),
            path: s.path,
        })
        .collect();
    let ungated = Pack::from_sources(sources).expect("pack without keyword gates");
    let mut differing = 0;
    for file in &files {
        let path = Path::new(file);
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("{file}: {e}");
                continue;
            }
        };
        let with = record(&analyse_bytes(file, path, &bytes, &gated), None);
        let without = record(&analyse_bytes(file, path, &bytes, &ungated), None);
        let lines = differences(&with, &without);
        if !lines.is_empty() {
            differing += 1;
            println!("{file}:\n  {}", lines.join("\n  "));
        }
    }
    eprintln!(
        "{} files, {differing} where keywords change the verdict",
        files.len()
    );
}

/// What the ungated pack reports differently.
fn differences(with: &DocumentRecord, without: &DocumentRecord) -> Vec<String> {
    let mut lines = Vec::new();
    if with.ampel != without.ampel {
        lines.push(format!("ampel {} -> {}", with.ampel, without.ampel));
    }
    for (a, b) in with.checklist.iter().zip(&without.checklist) {
        if a.status != b.status {
            lines.push(format!("{}: {} -> {}", a.requirement, a.status, b.status));
        }
    }
    let rules = |r: &DocumentRecord| -> BTreeSet<String> {
        r.findings.iter().map(|f| f.rule.clone()).collect()
    };
    let (before, after) = (rules(with), rules(without));
    for rule in after.difference(&before) {
        lines.push(format!("+ {rule}"));
        for finding in without.findings.iter().filter(|f| &f.rule == rule) {
            for evidence in &finding.evidence {
                lines.push(format!("    {:?}", evidence.quote));
            }
        }
    }
    for rule in before.difference(&after) {
        lines.push(format!("- {rule}"));
    }
    lines
}
