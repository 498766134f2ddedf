//! Shared by the corpus golden test and the `quality` example: expected results of the corpus
//! and a per-requirement confusion table.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub mod real;

use serde::Deserialize;

/// `corpus/expected/NAME.toml`: the legal reading of one corpus document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// `ok` or `not_a_dpa`.
    pub status: String,
    /// `red`, `yellow`, `green`, `unknown`.
    pub ampel: String,
    /// Requirement id → `present` | `missing` | `flagged` (empty for not_a_dpa).
    #[serde(default)]
    pub checklist: BTreeMap<String, String>,
    /// Rule ids of every expected finding that sets the colour (red or yellow red flags, and
    /// `<requirement>.missing` where a missing clause costs something), when stated. Findings of
    /// severity `info` (for human review) are not pinned.
    pub findings: Option<Vec<String>>,
}

/// One corpus document: its name, expectation and the files that hold it.
#[derive(Debug, Clone)]
pub struct CorpusDoc {
    pub name: String,
    pub expected: Expected,
    pub files: Vec<PathBuf>,
}

pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Every document with an expectation, with its source and PDF files.
pub fn corpus() -> Vec<CorpusDoc> {
    let root = corpus_dir();
    let mut docs = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(root.join("expected"))
        .expect("corpus/expected exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let expected: Expected =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut files = Vec::new();
        for candidate in [
            root.join("src").join(format!("{name}.md")),
            root.join("src").join(format!("{name}.txt")),
            root.join("pdf").join(format!("{name}.pdf")),
        ] {
            if candidate.exists() {
                files.push(candidate);
            }
        }
        assert!(!files.is_empty(), "{name}: expectation without a document");
        docs.push(CorpusDoc {
            name,
            expected,
            files,
        });
    }
    docs
}

/// What the tool said about one file.
#[derive(Debug, Clone)]
pub struct Actual {
    pub status: String,
    pub ampel: String,
    pub checklist: BTreeMap<String, String>,
    /// Rule ids of the findings of severity red or yellow.
    pub findings: Vec<String>,
}

impl Actual {
    /// The result in one wire record: its status, light, checklist and the rule ids of its red
    /// and yellow findings.
    pub fn of(record: &ampel::report::wire::DocumentRecord) -> Actual {
        Actual {
            status: record.status.clone(),
            ampel: record.ampel.clone(),
            checklist: record
                .checklist
                .iter()
                .map(|c| (c.requirement.clone(), c.status.clone()))
                .collect(),
            findings: record
                .findings
                .iter()
                .filter(|f| f.severity != "info")
                .map(|f| f.rule.clone())
                .collect(),
        }
    }
}

/// Differences between expectation and result, one line each.
pub fn compare(expected: &Expected, actual: &Actual) -> Vec<String> {
    let mut diffs = Vec::new();
    if expected.status != actual.status {
        diffs.push(format!(
            "status: expected {}, got {}",
            expected.status, actual.status
        ));
    }
    if expected.ampel != actual.ampel {
        diffs.push(format!(
            "ampel: expected {}, got {}",
            expected.ampel, actual.ampel
        ));
    }
    for (req, want) in &expected.checklist {
        let got = actual.checklist.get(req).map_or("(absent)", String::as_str);
        if want != got {
            diffs.push(format!("{req}: expected {want}, got {got}"));
        }
    }
    if let Some(want) = &expected.findings {
        let mut want: Vec<&str> = want.iter().map(String::as_str).collect();
        let mut got: Vec<&str> = actual.findings.iter().map(String::as_str).collect();
        want.sort_unstable();
        got.sort_unstable();
        for w in &want {
            if !got.contains(w) {
                diffs.push(format!("finding {w}: expected, not reported"));
            }
        }
        for g in &got {
            if !want.contains(g) {
                diffs.push(format!("finding {g}: reported, not expected"));
            }
        }
    }
    diffs
}

/// True/false positives and negatives for one requirement and one status.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> Option<f64> {
        let d = self.tp + self.fp;
        (d > 0).then(|| self.tp as f64 / d as f64)
    }
    pub fn recall(&self) -> Option<f64> {
        let d = self.tp + self.fn_;
        (d > 0).then(|| self.tp as f64 / d as f64)
    }
    /// "precision / recall" with two decimals, "-" for a ratio without cases.
    pub fn precision_recall(&self) -> String {
        let f = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.2}"));
        format!("{} / {}", f(self.precision()), f(self.recall()))
    }
}

/// Per requirement: counts for `flagged` and for `present`.
#[derive(Debug, Default)]
pub struct Confusion {
    pub rows: BTreeMap<String, (Counts, Counts)>,
}

impl Confusion {
    pub fn add(&mut self, expected: &Expected, actual: &Actual) {
        for (req, want) in &expected.checklist {
            let got = actual.checklist.get(req).map_or("missing", String::as_str);
            let row = self.rows.entry(req.clone()).or_default();
            for (class, counts) in [("flagged", &mut row.0), ("present", &mut row.1)] {
                match (want.as_str() == class, got == class) {
                    (true, true) => counts.tp += 1,
                    (false, true) => counts.fp += 1,
                    (true, false) => counts.fn_ += 1,
                    (false, false) => {}
                }
            }
        }
    }

    pub fn table(&self) -> String {
        let pct = |v: Option<f64>| v.map_or("   -".to_string(), |v| format!("{:>4.0}", v * 100.0));
        let mut out = String::new();
        writeln!(
            out,
            "{:<28} | {:>3} {:>3} {:>3} {:>5} {:>5} | {:>3} {:>3} {:>3} {:>5} {:>5}",
            "requirement", "TP", "FP", "FN", "P%", "R%", "TP", "FP", "FN", "P%", "R%"
        )
        .unwrap();
        writeln!(
            out,
            "{:<28} | {:^27} | {:^27}",
            "", "flagged (red flag found)", "present (clause found)"
        )
        .unwrap();
        let row = |out: &mut String, name: &str, f: &Counts, p: &Counts| {
            writeln!(
                out,
                "{name:<28} | {:>3} {:>3} {:>3} {:>5} {:>5} | {:>3} {:>3} {:>3} {:>5} {:>5}",
                f.tp,
                f.fp,
                f.fn_,
                pct(f.precision()),
                pct(f.recall()),
                p.tp,
                p.fp,
                p.fn_,
                pct(p.precision()),
                pct(p.recall())
            )
            .unwrap();
        };
        let mut total = (Counts::default(), Counts::default());
        for (req, (f, p)) in &self.rows {
            row(&mut out, req, f, p);
            for (t, c) in [(&mut total.0, f), (&mut total.1, p)] {
                t.tp += c.tp;
                t.fp += c.fp;
                t.fn_ += c.fn_;
            }
        }
        row(&mut out, "all", &total.0, &total.1);
        out
    }
}
