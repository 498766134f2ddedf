//! How well ampel's verdicts agree with readings of the documents:
//! `cargo run --release --example quality [-- --dev-diffs]`.
//!
//! Three tables, each with per-requirement precision and recall for "present" and for defects
//! (missing or flagged clauses that cost something), and the document-level Ampel agreement:
//!
//! 1. the self-written corpus (`corpus/`): the rules were written against it, so this is
//!    training accuracy;
//! 2. the real corpus's **dev** split (`corpus/real/`): rules are tuned on it, also training
//!    accuracy; `--dev-diffs` lists every disagreement per document;
//! 3. the real corpus's **test** split: never read while editing rules; only aggregate numbers
//!    are printed, never which cells were wrong;
//! 4. the two independent readings of each split measured against each other (totals only):
//!    how far two careful readers agree, the ceiling for ampel's figures.
//!
//! Each real split also prints 90 % bootstrap intervals over its agreements, so that a change
//! of a cell or two can be told from noise, and its figures over the cells the readers found
//! clear (no disagreement before settling, no doubt in the settled note) and over the rest. `--ids ID,ID,…` measures only those agreements of
//! each split (a new batch, before any rule work on it), with the same aggregate-only output.
//!
//! `--track-record YYYY-MM-DD` instead writes the track record of every built-in check on the
//! dev split (`corpus/real/track_record.toml`, shown next to each finding).
//!
//! Real agreements whose text is not committed (no redistribution licence) are read from
//! `corpus/real/local/` (rebuilt by `corpus/real/fetch.sh`); missing ones are listed and
//! skipped.

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use ampel::batch::analyse_bytes;
use ampel::report::wire::{DocumentRecord, record};
use ampel::rules::Pack;
use common::real::{self, Scores, Verdict};
use common::{Actual, Confusion, Counts, compare, corpus};

fn analyse(pack: &Pack, path: &Path) -> DocumentRecord {
    let bytes = std::fs::read(path).expect("read document");
    let report = analyse_bytes(&path.display().to_string(), path, &bytes, pack);
    record(&report, None)
}

/// The self-written corpus: expected results from `corpus/expected/`.
fn self_written(pack: &Pack) {
    let mut confusion = Confusion::default();
    let mut scores = Scores::default();
    let mut files = 0;
    let mut differing = 0;
    for doc in corpus() {
        for file in &doc.files {
            let r = analyse(pack, file);
            let got = Actual::of(&r);
            files += 1;
            let diffs = compare(&doc.expected, &got);
            if !diffs.is_empty() {
                differing += 1;
                println!("{}: {}", file.display(), diffs.join("; "));
            }
            confusion.add(&doc.expected, &got);
            if doc.expected.status == "ok" {
                let expected_defects: BTreeSet<String> = doc
                    .expected
                    .findings
                    .iter()
                    .flatten()
                    .filter_map(|rule| rule.split('.').next().map(str::to_string))
                    .collect();
                scores.add_cells(
                    &doc.expected.ampel,
                    &doc.expected.checklist,
                    |req| expected_defects.contains(req),
                    &Verdict::of(&r),
                );
            }
        }
    }
    println!("== Self-written corpus (training accuracy: the rules were written against it)");
    println!("{files} files, {differing} differ from the expected result\n");
    print!("{}", scores.table());
    println!(
        "\nflagged / present per requirement:\n{}",
        confusion.table()
    );
}

/// One split of the real corpus.
fn real_part(pack: &Pack, part: &str, show_diffs: bool, only: Option<&BTreeSet<String>>) {
    let mut docs = real::docs(part);
    if let Some(only) = only {
        docs.retain(|d| only.contains(&d.source.id));
    }
    let mut scores = Scores::default();
    let mut per_document = Vec::new();
    let mut absent = Vec::new();
    let mut languages: BTreeMap<String, usize> = BTreeMap::new();
    for doc in &docs {
        let Some(path) = &doc.text else {
            absent.push(doc.source.id.clone());
            continue;
        };
        *languages.entry(doc.source.language.clone()).or_default() += 1;
        let got = Verdict::of(&analyse(pack, path));
        if show_diffs {
            let diffs = real::differences(&doc.label, &got);
            if !diffs.is_empty() {
                println!("{}:\n  {}", doc.source.id, diffs.join("\n  "));
            }
        }
        scores.add(&doc.label, &got);
        let mut one = Scores::default();
        one.add(&doc.label, &got);
        per_document.push(one.totals());
    }
    let what = match part {
        "dev" => "dev split (training accuracy: rules are tuned on it)",
        _ => "test split (held out: never read while editing rules)",
    };
    let langs: Vec<String> = languages.iter().map(|(l, n)| format!("{n} {l}")).collect();
    println!("\n== Real corpus, {what}");
    println!(
        "{} agreements measured ({}){}\n",
        scores.documents,
        langs.join(", "),
        if absent.is_empty() {
            String::new()
        } else {
            format!(
                "; {} without text here (run corpus/real/fetch.sh): {}",
                absent.len(),
                absent.join(", ")
            )
        }
    );
    let reading = real::unlabelled(part);
    if !reading.is_empty() {
        println!(
            "{} not labelled yet (still being read, left out): {}\n",
            reading.len(),
            reading.join(", ")
        );
    }
    print!("{}", scores.table());
    println!("{}", bootstrap(&per_document));
    println!("{}", scores.clarity_line());
    let kinds: Vec<String> = scores
        .error_kinds
        .iter()
        .map(|((label, got), n)| format!("label {label} → ampel {got}: {n}"))
        .collect();
    println!(
        "defect errors by kind (all requirements): {}",
        kinds.join("; ")
    );
}

/// How much the totals depend on which agreements happen to be in the split: 90 % intervals of
/// defect and present precision and recall over 2,000 resamples of the agreements (drawn with
/// replacement, fixed seed, so the line is the same on every run).
fn bootstrap(per_document: &[(Counts, Counts)]) -> String {
    const RESAMPLES: usize = 2000;
    if per_document.is_empty() {
        return String::new();
    }
    let mut rng = fastrand::Rng::with_seed(20261203);
    let mut samples: [Vec<f64>; 4] = Default::default();
    for _ in 0..RESAMPLES {
        let (mut present, mut defect) = (Counts::default(), Counts::default());
        for _ in 0..per_document.len() {
            let (p, d) = &per_document[rng.usize(..per_document.len())];
            for (sum, c) in [(&mut present, p), (&mut defect, d)] {
                sum.tp += c.tp;
                sum.fp += c.fp;
                sum.fn_ += c.fn_;
            }
        }
        let values = [
            present.precision(),
            present.recall(),
            defect.precision(),
            defect.recall(),
        ];
        for (sample, value) in samples.iter_mut().zip(values) {
            sample.extend(value);
        }
    }
    let interval = |sample: &mut Vec<f64>| {
        sample.sort_by(f64::total_cmp);
        let at = |q: f64| sample[((sample.len() - 1) as f64 * q).round() as usize];
        format!("[{:.2}, {:.2}]", at(0.05), at(0.95))
    };
    let [pp, pr, dp, dr] = &mut samples;
    format!(
        "90 % intervals over agreements (bootstrap, {RESAMPLES} resamples): present precision {}, \
         recall {}; defect precision {}, recall {}",
        interval(pp),
        interval(pr),
        interval(dp),
        interval(dr)
    )
}

/// Two readers of one split measured against each other: reading `b` in the place of ampel,
/// reading `a` in the place of the settled label. Only the totals are printed; they say how
/// far two careful readers agree before anyone settles their differences, which is the
/// ceiling for any checker measured against one reading.
fn readers_part(part: &str) {
    let a = real::readings("a");
    let b = real::readings("b");
    let mut scores = Scores::default();
    for doc in real::docs(part) {
        let id = &doc.source.id;
        let (Some(ra), Some(rb)) = (a.get(id), b.get(id)) else {
            continue;
        };
        scores.add(ra, &Verdict::of_reading(rb));
    }
    let (p, d) = scores.totals();
    println!(
        "{part:<5} {:>3} agreements | present P/R {} | defect P/R {} | Ampel {}/{} ({:.0} %)",
        scores.documents,
        p.precision_recall(),
        d.precision_recall(),
        scores.ampel_agree,
        scores.documents,
        scores.ampel_agree as f64 * 100.0 / scores.documents.max(1) as f64
    );
}

/// The track record of every built-in check on the dev split (see `ampel::rules::track`),
/// written as `corpus/real/track_record.toml`: per rule that reported a defect (severity red or
/// yellow) in at least one agreement, in how many it did and in how many of those the settled
/// label has a defect in the same requirement.
fn track_record(pack: &Pack, measured: &str) {
    let mut rules: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut agreements = 0;
    for doc in real::docs("dev") {
        let Some(path) = &doc.text else {
            continue;
        };
        agreements += 1;
        let record = analyse(pack, path);
        let fired: BTreeSet<(&str, &str)> = record
            .findings
            .iter()
            .filter(|f| matches!(f.severity.as_str(), "red" | "yellow"))
            .map(|f| (f.rule.as_str(), f.requirement.as_str()))
            .collect();
        for (rule, requirement) in fired {
            let entry = rules.entry(rule.to_string()).or_default();
            entry.0 += 1;
            entry.1 += u32::from(doc.label.defect(requirement));
        }
    }
    println!(
        "# How often each built-in check's defect was confirmed on published agreements (see\n\
         # src/rules/track.rs). Written by\n\
         #   cargo run --release --locked --example quality -- --track-record {measured} \\\n\
         #     > corpus/real/track_record.toml\n\
         # over the dev split (the agreements the rules are tuned on: training figures).\n\
         # agreements: dev agreements whose text was here; per rule: agreements where it\n\
         # reported a defect, and of those, confirmed by the settled label."
    );
    println!("measured = \"{measured}\"\nagreements = {agreements}\n\n[rules]");
    for (rule, (fired, confirmed)) in rules {
        println!("\"{rule}\" = {{ agreements = {fired}, confirmed = {confirmed} }}");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dev_diffs = args.iter().any(|a| a == "--dev-diffs");
    let real_only = args.iter().any(|a| a == "--real-only");
    let only: Option<BTreeSet<String>> = args
        .windows(2)
        .find(|w| w[0] == "--ids")
        .map(|w| w[1].split(',').map(str::to_owned).collect());
    let pack = Pack::embedded().expect("built-in pack");
    if let Some(w) = args.windows(2).find(|w| w[0] == "--track-record") {
        track_record(&pack, &w[1]);
        return;
    }
    if !real_only {
        self_written(&pack);
    }
    if real::real_dir().join("split.toml").exists() {
        real_part(&pack, "dev", dev_diffs, only.as_ref());
        real_part(&pack, "test", false, only.as_ref());
        println!(
            "\n== Reader against reader: reading b measured against reading a, before settling \
             (the agreement two careful readers reach; all agreements with both readings)"
        );
        readers_part("dev");
        readers_part("test");
    }
}
