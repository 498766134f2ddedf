//! Golden test for the real agreements whose full text is committed (`corpus/real/text/`, the
//! ones whose licence allows it). Expected results are the settled labels of two independent
//! readings (`corpus/real/labels/`), never ampel's output. Where ampel does not yet agree with a
//! label, the difference is listed in `corpus/real/text/differences.toml`; the test fails when a
//! new difference appears (a regression on text nobody here wrote) and when a listed one is gone
//! (ampel improved: shorten the list with `AMPEL_BLESS=1 cargo test --test real_texts`). The
//! labels themselves are never edited to match ampel.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use ampel::batch::analyse_bytes;
use ampel::report::wire::record;
use ampel::rules::Pack;
use common::real::{self, Verdict};

const DIFFERENCES: &str = "text/differences.toml";

#[test]
fn committed_real_agreements_keep_their_agreement_with_the_readings() {
    let pack = Pack::embedded().expect("pack");
    let mut got: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for part in ["dev", "test"] {
        for doc in real::docs(part) {
            if !doc.source.redistributable {
                continue;
            }
            let path = doc
                .text
                .unwrap_or_else(|| panic!("{}: licensed text missing", doc.source.id));
            let bytes = std::fs::read(&path).expect("read");
            let report = analyse_bytes(&path.display().to_string(), &path, &bytes, &pack);
            let verdict = Verdict::of(&record(&report, None));
            got.insert(doc.source.id, real::differences(&doc.label, &verdict));
        }
    }
    assert!(
        got.len() >= 9,
        "only {} licensed agreements found",
        got.len()
    );

    let file = real::real_dir().join(DIFFERENCES);
    // Only a value blesses: `AMPEL_BLESS=` or `AMPEL_BLESS=0` checks as usual.
    if std::env::var("AMPEL_BLESS").is_ok_and(|v| !v.is_empty() && v != "0") {
        let mut out = String::from(
            "# Where ampel still differs from the settled labels of the committed real agreements.\n\
             # Written by `AMPEL_BLESS=1 cargo test --test real_texts`; checked by tests/real_texts.rs.\n\
             # A shorter list is progress; the labels are never changed to shorten it.\n",
        );
        for (id, diffs) in &got {
            out.push_str(&format!("\n[{id}]\ndifferences = [\n"));
            for d in diffs {
                out.push_str(&format!("  {:?},\n", d));
            }
            out.push_str("]\n");
        }
        std::fs::write(&file, out).expect("write differences");
        return;
    }

    let listed: BTreeMap<String, Listed> =
        toml::from_str(&std::fs::read_to_string(&file).expect("read differences.toml"))
            .expect("parse differences.toml");
    let mut failures = Vec::new();
    for (id, diffs) in &got {
        let now: BTreeSet<&String> = diffs.iter().collect();
        let before: BTreeSet<&String> = listed
            .get(id)
            .map(|l| l.differences.iter().collect())
            .unwrap_or_default();
        for d in now.difference(&before) {
            failures.push(format!("{id}: new difference from the reading: {d}"));
        }
        for d in before.difference(&now) {
            failures.push(format!(
                "{id}: no longer differs ({d}); shorten the list with AMPEL_BLESS=1"
            ));
        }
    }
    for id in listed.keys().filter(|id| !got.contains_key(*id)) {
        failures.push(format!("{id}: listed but no committed text"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every real agreement whose text is here reads as text: the words ampel extracts are at least
/// a tenth of the words its provenance record counts in the file (`wc -w`, which also counts the
/// tags of an HTML file, so a page legitimately reads as a fraction of it). A conversion that
/// leaves the agreement where a reader does not look (inside an HTML `<template>`, as
/// de-inventivy's first conversion did) reads as a few words and fails here, in whichever split.
#[test]
fn every_real_text_here_reads_as_most_of_its_words() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for doc in ["dev", "test"].into_iter().flat_map(real::docs) {
        let (source, Some(path)) = (&doc.source, &doc.text) else {
            continue;
        };
        let bytes = std::fs::read(path).expect("read");
        let words: u64 = match ampel::extract::extract(path, &bytes) {
            Ok(document) => document
                .pages
                .iter()
                .map(|p| p.text.split_whitespace().count() as u64)
                .sum(),
            Err(e) => {
                failures.push(format!("{}: not read: {e}", source.id));
                continue;
            }
        };
        checked += 1;
        if words * 10 < source.words {
            failures.push(format!(
                "{}: {words} words read, {} in its record ({})",
                source.id, source.words, source.conversion
            ));
        }
    }
    assert!(checked >= 9, "only {checked} real texts found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Listed {
    differences: Vec<String>,
}

/// The quality report splits the cells by how clear they were to the readers: a requirement the
/// two readings disagreed on before settling, or whose settled note calls it doubtful, is not
/// clear; every other cell is. Scored against a verdict that differs on one clear and one
/// unclear cell, each side counts only its own.
#[test]
fn cells_are_split_by_how_clear_they_were_to_the_readers() {
    let label: real::Label = toml::from_str(
        r#"
id = "en-example"
readers = ["a", "b"]
is_dpa = true
ampel = "yellow"
transfers_stated = false

[checklist.audits]
status = "flagged"
severity = "yellow"
note = "Yearly cap without an incident exception. Doubtful: a lenient reader may see a note."

[checklist.confidentiality]
status = "present"

[checklist.breach_notification]
status = "present"

[checklist.subprocessors]
status = "flagged"
severity = "yellow"

[[disagreement]]
point = "breach_notification"
a = "present"
b = "flagged yellow"
settled = "present"
why = "The notice is without undue delay."
"#,
    )
    .expect("label parses");
    assert!(!label.is_clear("audits"), "a doubtful note");
    assert!(!label.is_clear("breach_notification"), "a disagreement");
    assert!(label.is_clear("confidentiality"));
    assert!(label.is_clear("subprocessors"));

    // Ampel misses the doubtful audit flag and the clear sub-processor flag, and agrees on the rest.
    let mut got = Verdict::of_reading(&label);
    got.checklist.insert("audits".into(), "present".into());
    got.checklist
        .insert("subprocessors".into(), "present".into());
    got.defects.clear();
    let mut scores = real::Scores::default();
    scores.add(&label, &got);
    assert_eq!(scores.clarity_cells, (2, 2));
    let (clear_present, clear_defect) = &scores.clear;
    let (unclear_present, unclear_defect) = &scores.unclear;
    assert_eq!(
        (clear_defect.tp, clear_defect.fp, clear_defect.fn_),
        (0, 0, 1)
    );
    assert_eq!(
        (unclear_defect.tp, unclear_defect.fp, unclear_defect.fn_),
        (0, 0, 1)
    );
    assert_eq!((clear_present.tp, clear_present.fp), (1, 1));
    assert_eq!((unclear_present.tp, unclear_present.fp), (1, 1));
}
