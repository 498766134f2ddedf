//! The real corpus (`corpus/real/`): provenance records, settled labels, the dev/test split, and
//! the measures the quality report and the real-corpus tests compute from them.
//!
//! A requirement cell is a *defect* when it costs something: a red or yellow red flag, or a
//! missing clause whose requirement has a missing-severity (for `transfer_mechanism` only when
//! the agreement states transfers outside the EU/EEA). The same definition is applied to
//! ampel's output (a requirement with a finding of severity red or yellow) and to the labels.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Counts;

/// The requirements whose missing clause costs yellow (Art. 28(3) items); `transfer_mechanism`
/// costs only when transfers are stated.
pub const MISSING_COSTS: &[&str] = &[
    "dpa_present",
    "processing_details",
    "instructions",
    "unlawful_instruction_notice",
    "confidentiality",
    "security_measures",
    "subprocessors",
    "data_subject_rights",
    "controller_assistance",
    "breach_notification",
    "deletion_return",
    "audits",
];

/// `corpus/real/sources/<id>.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub language: String,
    pub publisher: String,
    pub kind: String,
    pub title: String,
    pub version: String,
    pub repository: Option<String>,
    pub path: Option<String>,
    pub commit: Option<String>,
    pub url: String,
    pub licence: String,
    pub licence_evidence: String,
    pub redistributable: bool,
    pub file: String,
    pub raw_file: Option<String>,
    pub raw_sha256: Option<String>,
    pub sha256: String,
    pub conversion: String,
    pub words: u64,
    pub notes: String,
}

/// One requirement as a reader labelled it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    /// `present` | `missing` | `flagged`.
    pub status: String,
    /// For `flagged`: `red` | `yellow`.
    pub severity: Option<String>,
    #[serde(default)]
    pub clause: String,
    #[serde(default)]
    pub quote: String,
    #[serde(default)]
    pub note: String,
}

/// A point the two readers disagreed on, and how it was settled.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disagreement {
    /// A requirement id, or `ampel`, `is_dpa`, `transfers_stated`.
    pub point: String,
    pub a: String,
    pub b: String,
    pub settled: String,
    pub why: String,
}

/// `corpus/real/labels/<id>.toml` (settled) or `readings/<reader>/<id>.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    pub id: String,
    /// The reader, for a reading; absent in settled labels.
    pub reader: Option<String>,
    /// The readers whose readings were settled.
    #[serde(default)]
    pub readers: Vec<String>,
    pub is_dpa: bool,
    pub ampel: String,
    pub transfers_stated: bool,
    #[serde(default)]
    pub summary: String,
    pub checklist: BTreeMap<String, Cell>,
    #[serde(default)]
    pub disagreement: Vec<Disagreement>,
}

impl Label {
    /// True when the readers found the requirement clear: they did not disagree on it before
    /// settling, and the settled note does not call it doubtful.
    pub fn is_clear(&self, requirement: &str) -> bool {
        let disputed = self.disagreement.iter().any(|d| d.point == requirement);
        let doubtful = self
            .checklist
            .get(requirement)
            .is_some_and(|c| c.note.to_lowercase().contains("doubt"));
        !disputed && !doubtful
    }

    /// True when the labelled requirement costs something.
    pub fn defect(&self, requirement: &str) -> bool {
        let Some(cell) = self.checklist.get(requirement) else {
            return false;
        };
        match cell.status.as_str() {
            "flagged" => true,
            "missing" if requirement == "transfer_mechanism" => self.transfers_stated,
            "missing" => MISSING_COSTS.contains(&requirement),
            _ => false,
        }
    }
}

/// `corpus/real/split.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Split {
    pub dev: Vec<String>,
    pub test: Vec<String>,
}

/// One labelled real agreement.
#[derive(Debug, Clone)]
pub struct RealDoc {
    pub source: Source,
    pub label: Label,
    /// Where its full text is, when it is here (committed, or rebuilt into `local/`).
    pub text: Option<PathBuf>,
}

pub fn real_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join("real")
}

fn read_toml<T: for<'de> Deserialize<'de>>(path: &Path) -> T {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Every provenance record, by id.
pub fn sources() -> BTreeMap<String, Source> {
    toml_files(&real_dir().join("sources"))
        .iter()
        .map(|p| read_toml::<Source>(p))
        .map(|s| (s.id.clone(), s))
        .collect()
}

/// The readings of one reader (`a` or `b`), by id.
pub fn readings(reader: &str) -> BTreeMap<String, Label> {
    toml_files(&real_dir().join("readings").join(reader))
        .iter()
        .map(|p| read_toml::<Label>(p))
        .map(|l| (l.id.clone(), l))
        .collect()
}

pub fn split() -> Split {
    read_toml(&real_dir().join("split.toml"))
}

/// Where the full text of `source` is, if it is here.
pub fn text_path(source: &Source) -> Option<PathBuf> {
    let folder = if source.redistributable {
        "text"
    } else {
        "local"
    };
    let path = real_dir().join(folder).join(&source.file);
    path.exists().then_some(path)
}

/// The ids of one split part (`dev` or `test`), in split order.
fn part_ids(part: &str) -> Vec<String> {
    let split = split();
    match part {
        "dev" => split.dev,
        "test" => split.test,
        other => panic!("unknown split part {other}"),
    }
}

fn label_path(id: &str) -> PathBuf {
    real_dir().join("labels").join(format!("{id}.toml"))
}

/// The agreements of one split part that have no settled labels yet: a new batch is split
/// before anyone reads it, so it sits in `split.toml` while its two readings are made.
pub fn unlabelled(part: &str) -> Vec<String> {
    part_ids(part)
        .into_iter()
        .filter(|id| !label_path(id).exists())
        .collect()
}

/// Every labelled agreement of one split part (`dev` or `test`), in id order; agreements
/// still being read ([`unlabelled`]) are left out.
pub fn docs(part: &str) -> Vec<RealDoc> {
    let sources = sources();
    let mut out = Vec::new();
    for id in part_ids(part) {
        let source = sources
            .get(&id)
            .unwrap_or_else(|| panic!("{id}: in split.toml but no sources/{id}.toml"))
            .clone();
        let path = label_path(&id);
        if !path.exists() {
            continue;
        }
        let label: Label = read_toml(&path);
        let text = text_path(&source);
        out.push(RealDoc {
            source,
            label,
            text,
        });
    }
    out
}

/// What ampel said about one document, reduced to what is compared with the labels.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    /// `ok`, `not_a_dpa`, …
    pub status: String,
    /// `red` | `yellow` | `green` | `unknown`.
    pub ampel: String,
    /// Requirement → `present` | `missing` | `flagged`.
    pub checklist: BTreeMap<String, String>,
    /// Requirements with a red or yellow finding.
    pub defects: BTreeSet<String>,
}

impl Verdict {
    /// A reader's labelling of one document, put in the place of ampel's verdict: scoring one
    /// reader against another measures how far two careful readers agree (the ceiling a
    /// checker of the readings can be expected to reach).
    pub fn of_reading(reading: &Label) -> Verdict {
        Verdict {
            status: if reading.is_dpa { "ok" } else { "not_a_dpa" }.to_string(),
            ampel: reading.ampel.clone(),
            checklist: reading
                .checklist
                .iter()
                .map(|(req, cell)| (req.clone(), cell.status.clone()))
                .collect(),
            defects: reading
                .checklist
                .keys()
                .filter(|req| reading.defect(req))
                .cloned()
                .collect(),
        }
    }

    /// The verdict in one wire record: its status, light, checklist and the requirements of
    /// its red and yellow findings.
    pub fn of(r: &ampel::report::wire::DocumentRecord) -> Verdict {
        Verdict {
            status: r.status.clone(),
            ampel: r.ampel.clone(),
            checklist: r
                .checklist
                .iter()
                .map(|c| (c.requirement.clone(), c.status.clone()))
                .collect(),
            defects: r
                .findings
                .iter()
                .filter(|f| f.severity != "info")
                .map(|f| f.requirement.clone())
                .collect(),
        }
    }
}

/// Counts over requirement cells and documents.
#[derive(Debug, Default, Clone)]
pub struct Scores {
    /// Per requirement: (present, defect).
    pub rows: BTreeMap<String, (Counts, Counts)>,
    pub documents: usize,
    pub ampel_agree: usize,
    /// Labelled red, rated green (or not rated).
    pub red_as_green: usize,
    /// (label ampel, ampel's) → count.
    pub ampel_pairs: BTreeMap<(String, String), usize>,
    /// Kinds of cell errors, over all requirements: (label status and whether it is a defect,
    /// ampel's status and whether it reported a defect) → count, for the cells whose defect
    /// verdict differs. Aggregate only, so it can be printed for the held-out split.
    pub error_kinds: BTreeMap<(String, String), usize>,
    /// Cells the readers found clear: no disagreement on the requirement before settling and no
    /// doubt written into the settled note. (present, defect), over all requirements.
    pub clear: (Counts, Counts),
    /// Cells the readers disagreed on or marked doubtful: (present, defect).
    pub unclear: (Counts, Counts),
    /// Number of labelled cells: (clear, disputed or doubtful).
    pub clarity_cells: (usize, usize),
}

fn count(c: &mut Counts, want: bool, got: bool) {
    match (want, got) {
        (true, true) => c.tp += 1,
        (false, true) => c.fp += 1,
        (true, false) => c.fn_ += 1,
        (false, false) => {}
    }
}

/// Differences between a label and ampel's verdict, one line per cell.
pub fn differences(label: &Label, got: &Verdict) -> Vec<String> {
    let mut out = Vec::new();
    if label.ampel != got.ampel {
        out.push(format!("ampel: label {}, ampel {}", label.ampel, got.ampel));
    }
    for (req, cell) in &label.checklist {
        let status = got.checklist.get(req).map_or("(none)", String::as_str);
        let want_defect = label.defect(req);
        let got_defect = got.defects.contains(req);
        if cell.status != status || want_defect != got_defect {
            out.push(format!(
                "{req}: label {}{}, ampel {status}{}",
                cell.status,
                if want_defect { " (defect)" } else { "" },
                if got_defect { " (defect)" } else { "" },
            ));
        }
    }
    out
}

impl Scores {
    /// Adds one labelled real document. A document ampel did not rate counts as "nothing found".
    pub fn add(&mut self, label: &Label, got: &Verdict) {
        let statuses: BTreeMap<String, String> = label
            .checklist
            .iter()
            .map(|(req, cell)| (req.clone(), cell.status.clone()))
            .collect();
        self.add_cells(&label.ampel, &statuses, |req| label.defect(req), got);
        for (req, cell) in &label.checklist {
            let side = if label.is_clear(req) {
                self.clarity_cells.0 += 1;
                &mut self.clear
            } else {
                self.clarity_cells.1 += 1;
                &mut self.unclear
            };
            let got_status = got.checklist.get(req).map_or("missing", String::as_str);
            count(
                &mut side.0,
                cell.status == "present",
                got_status == "present",
            );
            count(&mut side.1, label.defect(req), got.defects.contains(req));
        }
    }

    /// One line: how ampel does on the cells the readers found clear and on the others.
    pub fn clarity_line(&self) -> String {
        let side = |name: &str, cells: usize, (present, defect): &(Counts, Counts)| {
            format!(
                "{cells} {name}: present P/R {}, defect P/R {} ({}/{}/{})",
                present.precision_recall(),
                defect.precision_recall(),
                defect.tp,
                defect.fp,
                defect.fn_
            )
        };
        format!(
            "by how clear the cell was to the readers: {}; {}",
            side(
                "clear cells (no disagreement before settling, no doubt in the note)",
                self.clarity_cells.0,
                &self.clear
            ),
            side(
                "disputed or doubtful cells",
                self.clarity_cells.1,
                &self.unclear
            ),
        )
    }

    /// Adds one document given its expected light, statuses and defects.
    pub fn add_cells(
        &mut self,
        ampel: &str,
        statuses: &BTreeMap<String, String>,
        defect: impl Fn(&str) -> bool,
        got: &Verdict,
    ) {
        self.documents += 1;
        if ampel == got.ampel {
            self.ampel_agree += 1;
        }
        if ampel == "red" && got.ampel != "red" && got.ampel != "yellow" {
            self.red_as_green += 1;
        }
        *self
            .ampel_pairs
            .entry((ampel.to_string(), got.ampel.clone()))
            .or_default() += 1;
        for (req, status) in statuses {
            let row = self.rows.entry(req.clone()).or_default();
            let got_status = got.checklist.get(req).map_or("missing", String::as_str);
            count(&mut row.0, status == "present", got_status == "present");
            count(&mut row.1, defect(req), got.defects.contains(req));
            if defect(req) != got.defects.contains(req) {
                let mark = |d: bool| if d { " (defect)" } else { "" };
                *self
                    .error_kinds
                    .entry((
                        format!("{status}{}", mark(defect(req))),
                        format!("{got_status}{}", mark(got.defects.contains(req))),
                    ))
                    .or_default() += 1;
            }
        }
    }

    /// Sums over all requirements: (present, defect).
    pub fn totals(&self) -> (Counts, Counts) {
        let mut total = (Counts::default(), Counts::default());
        for (p, d) in self.rows.values() {
            for (t, c) in [(&mut total.0, p), (&mut total.1, d)] {
                t.tp += c.tp;
                t.fp += c.fp;
                t.fn_ += c.fn_;
            }
        }
        total
    }

    /// The per-requirement table and the document-level lines.
    pub fn table(&self) -> String {
        let pct = |v: Option<f64>| v.map_or("    -".to_string(), |v| format!("{:>5.2}", v));
        let mut out = String::new();
        writeln!(
            out,
            "{:<28} | {:^29} | {:^29}",
            "", "present (clause found)", "defect (missing or flagged)"
        )
        .unwrap();
        writeln!(
            out,
            "{:<28} | {:>3} {:>3} {:>3} {:>8} {:>8} | {:>3} {:>3} {:>3} {:>8} {:>8}",
            "requirement", "TP", "FP", "FN", "prec", "recall", "TP", "FP", "FN", "prec", "recall"
        )
        .unwrap();
        let row = |out: &mut String, name: &str, p: &Counts, d: &Counts| {
            writeln!(
                out,
                "{name:<28} | {:>3} {:>3} {:>3} {:>8} {:>8} | {:>3} {:>3} {:>3} {:>8} {:>8}",
                p.tp,
                p.fp,
                p.fn_,
                pct(p.precision()),
                pct(p.recall()),
                d.tp,
                d.fp,
                d.fn_,
                pct(d.precision()),
                pct(d.recall())
            )
            .unwrap();
        };
        for (req, (p, d)) in &self.rows {
            row(&mut out, req, p, d);
        }
        let (p, d) = self.totals();
        row(&mut out, "all cells", &p, &d);
        let share = if self.documents == 0 {
            0.0
        } else {
            self.ampel_agree as f64 / self.documents as f64 * 100.0
        };
        writeln!(
            out,
            "Ampel agreement: {}/{} ({share:.0} %); labelled red but rated green or not rated: {}",
            self.ampel_agree, self.documents, self.red_as_green
        )
        .unwrap();
        let pairs: Vec<String> = self
            .ampel_pairs
            .iter()
            .map(|((l, a), n)| format!("{l}→{a} {n}"))
            .collect();
        writeln!(out, "label→ampel: {}", pairs.join(", ")).unwrap();
        out
    }
}
