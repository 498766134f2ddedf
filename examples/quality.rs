//! Per-requirement precision and recall of ampel over the corpus:
//! `cargo run --release --example quality`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::Path;

use ampel::batch::analyse_bytes;
use ampel::report::wire::record;
use ampel::rules::Pack;
use common::{Actual, Confusion, compare, corpus};

fn main() {
    let pack = Pack::embedded().expect("built-in pack");
    let mut confusion = Confusion::default();
    let mut files = 0;
    let mut differing = 0;
    for doc in corpus() {
        for file in &doc.files {
            let bytes = std::fs::read(file).expect("read corpus file");
            let report = analyse_bytes(&file.display().to_string(), Path::new(file), &bytes, &pack);
            let r = record(&report, None);
            let got = Actual {
                status: r.status.clone(),
                ampel: r.ampel.clone(),
                checklist: r
                    .checklist
                    .iter()
                    .map(|c| (c.requirement.clone(), c.status.clone()))
                    .collect(),
                findings: r
                    .findings
                    .iter()
                    .filter(|f| f.severity != "info")
                    .map(|f| f.rule.clone())
                    .collect(),
            };
            files += 1;
            let diffs = compare(&doc.expected, &got);
            if !diffs.is_empty() {
                differing += 1;
                println!("{}: {}", file.display(), diffs.join("; "));
            }
            confusion.add(&doc.expected, &got);
        }
    }
    println!("\n{files} corpus files, {differing} differ from the expected result\n");
    print!("{}", confusion.table());
}
