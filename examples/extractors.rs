//! Measures the PDF extractors ampel can use, on the sample PDFs and on mutated copies.
//!
//! ```text
//! cargo build --release && cargo run --release --example extractors [-- MUTANTS]
//! ```
//!
//! For each of `tests/samples/*.pdf` (three contracts from eight producers, with ground truth
//! `*.gt.txt`) it prints each extractor's word recall (share of the ground truth's words, as a
//! multiset, after NFKC, lower-casing and re-joining line-end hyphenation) and the quality issues ampel's checks raise. Then it
//! mutates the samples (truncation, bit flips, deleted, duplicated or zeroed chunks; a fixed
//! seed, so runs are comparable) and counts per extractor: text returned, errors, panics and
//! crashes, timeouts, and files with at least 90 % word recall. The "ampel" row is the whole
//! pipeline (pdf-extract, quality check, fallbacks). Rust engines run in worker processes of
//! the `ampel` binary next to this example, so an abort in a parser costs one file.
//!
//! With `OXIDE_BIN` set to the helper of `tests/measure/oxide` (pdf_oxide as a filter), that
//! crate is measured too, as an external program under the same limits.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use ampel::extract::process::{Outcome, run_limited};
use ampel::extract::{
    self, Document, ErrorKind, Extractor, Limits, Page, Quality, Settings, extract_pdf_with,
};
use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// Words as a multiset, after NFKC, lower-casing, and re-joining words hyphenated at a line
/// end (as ampel's normaliser does before matching), so line breaks do not count as losses.
fn words(text: &str) -> HashMap<String, usize> {
    static HYPHEN: OnceLock<Regex> = OnceLock::new();
    let hyphen = HYPHEN.get_or_init(|| Regex::new(r"(\w)[-\u{2010}]\s*\n\s*(\p{Ll})").unwrap());
    let text: String = text.nfkc().collect::<String>().replace('\u{ad}', "");
    let text = hyphen.replace_all(&text, "$1$2").to_lowercase();
    let mut out = HashMap::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *out.entry(w.to_string()).or_insert(0) += 1;
    }
    out
}

fn recall(truth: &HashMap<String, usize>, got: &HashMap<String, usize>) -> f64 {
    let total: usize = truth.values().sum();
    let hit: usize = truth
        .iter()
        .map(|(w, n)| (*n).min(got.get(w).copied().unwrap_or(0)))
        .sum();
    hit as f64 / total.max(1) as f64
}

fn text_of(document: &Document) -> String {
    document
        .pages
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Clone)]
enum Runner {
    One(Extractor),
    Pipeline,
    /// A pdftotext-like filter: PDF on stdin, pages separated by form feeds on stdout.
    Filter(&'static str, PathBuf),
}

impl Runner {
    fn name(&self) -> &'static str {
        match self {
            Runner::One(e) => e.as_str(),
            Runner::Pipeline => "ampel (pipeline)",
            Runner::Filter(name, _) => name,
        }
    }

    fn run(&self, bytes: &[u8], settings: &Settings) -> Result<(Document, Quality), ErrorKind> {
        let result = match self {
            Runner::One(e) => extract_pdf_with(*e, bytes, settings),
            Runner::Pipeline => extract::extract_checked(Path::new("x.pdf"), bytes, settings),
            Runner::Filter(_, exe) => return filter(exe, bytes, settings.limits),
        };
        result.map_err(|e| e.kind())
    }
}

fn filter(exe: &Path, bytes: &[u8], limits: Limits) -> Result<(Document, Quality), ErrorKind> {
    match run_limited(std::process::Command::new(exe), bytes, limits) {
        Ok(Outcome::Exited { status, stdout, .. }) if status.success() => {
            let text = String::from_utf8_lossy(&stdout);
            let pages: Vec<Page> = text
                .split('\u{c}')
                .enumerate()
                .map(|(i, t)| Page::new(i as u32 + 1, t.to_string()))
                .collect();
            let quality = ampel::extract::quality::judge(&pages, 0, None);
            let document = Document {
                format: ampel::extract::Format::Pdf,
                pages,
                extractor: "filter",
            };
            Ok((document, quality))
        }
        Ok(Outcome::Exited { status, .. }) if status.code().is_none() => Err(ErrorKind::Crashed),
        Ok(Outcome::TimedOut) => Err(ErrorKind::Timeout),
        _ => Err(ErrorKind::Corrupt),
    }
}

fn runners() -> Vec<Runner> {
    let mut runners = vec![
        Runner::One(Extractor::PdfExtract),
        Runner::One(Extractor::Pdftotext),
        Runner::One(Extractor::Lopdf),
    ];
    if let Some(exe) = std::env::var_os("OXIDE_BIN") {
        runners.push(Runner::Filter("pdf_oxide", PathBuf::from(exe)));
    }
    runners.push(Runner::Pipeline);
    runners
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = bytes.to_vec();
    let n = b.len();
    match rng.below(5) {
        0 => b.truncate(n * (30 + rng.below(66)) / 100),
        1 => {
            for _ in 0..1 + rng.below(20) {
                let i = rng.below(n);
                b[i] ^= 1 << rng.below(8);
            }
        }
        2 => {
            let at = rng.below(n);
            let len = 1 + rng.below(512);
            b.drain(at..(at + len).min(n));
        }
        3 => {
            let at = rng.below(n);
            let len = 1 + rng.below(2048);
            let chunk = b[at..(at + len).min(n)].to_vec();
            let to = rng.below(n);
            b.splice(to..to, chunk);
        }
        _ => {
            let at = rng.below(n);
            let len = 1 + rng.below(256);
            b[at..(at + len).min(n)].fill(0);
        }
    }
    b
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/samples");
    let mutants: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(300);
    let exe = std::env::current_exe().expect("own path");
    let worker: PathBuf = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("ampel"))
        .filter(|p| p.is_file())
        .expect("build the ampel binary first (cargo build --release)");
    let settings = Settings {
        worker: Some(worker),
        limits: Limits {
            timeout: Duration::from_secs(10),
            max_memory: Some(2 << 30),
        },
        pdftotext: true,
        ocr: false,
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/samples")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    let truth = |pdf: &Path| -> HashMap<String, usize> {
        let name = pdf.file_stem().unwrap().to_string_lossy();
        let doc = name.split('-').next().unwrap();
        words(&std::fs::read_to_string(root.join(format!("{doc}.gt.txt"))).expect("ground truth"))
    };

    let runners = runners();
    println!("## Word recall on the samples\n");
    print!("| file |");
    runners.iter().for_each(|r| print!(" {} |", r.name()));
    println!("\n|---|{}", "---|".repeat(runners.len()));
    let mut sums = vec![0.0; runners.len()];
    let mut times = vec![Duration::ZERO; runners.len()];
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let gt = truth(file);
        print!("| {} |", file.file_name().unwrap().to_string_lossy());
        for (i, runner) in runners.iter().enumerate() {
            let start = Instant::now();
            let result = runner.run(&bytes, &settings);
            times[i] += start.elapsed();
            match result {
                Ok((d, q)) => {
                    let r = recall(&gt, &words(&text_of(&d)));
                    sums[i] += r;
                    let issues = if q.is_sound() {
                        String::new()
                    } else {
                        format!(" ⚠ {}", q.summary())
                    };
                    let by = match runner {
                        Runner::Pipeline => format!(" [{}]", d.extractor),
                        _ => String::new(),
                    };
                    print!(" {r:.3}{by}{issues} |");
                }
                Err(k) => print!(" {k:?} |"),
            }
        }
        println!();
    }
    print!("| **mean** |");
    sums.iter()
        .for_each(|s| print!(" **{:.3}** |", s / files.len() as f64));
    print!("\n| time (s) |");
    times
        .iter()
        .for_each(|t| print!(" {:.2} |", t.as_secs_f64()));
    println!();

    if mutants == 0 {
        return;
    }
    println!("\n## {mutants} mutated samples (seed 2024)\n");
    #[derive(Default, Clone, Copy)]
    struct Tally {
        text: usize,
        errors: usize,
        panics: usize,
        timeouts: usize,
        good: usize,
    }
    let mut tallies = vec![Tally::default(); runners.len()];
    let mut rng = Rng(2024);
    for m in 0..mutants {
        let file = &files[m % files.len()];
        let bytes = mutate(&std::fs::read(file).unwrap(), &mut rng);
        let gt = truth(file);
        for (i, runner) in runners.iter().enumerate() {
            let t = &mut tallies[i];
            match runner.run(&bytes, &settings) {
                Ok((d, _)) => {
                    t.text += 1;
                    if recall(&gt, &words(&text_of(&d))) >= 0.9 {
                        t.good += 1;
                    }
                }
                Err(ErrorKind::Panic | ErrorKind::Crashed) => t.panics += 1,
                Err(ErrorKind::Timeout) => t.timeouts += 1,
                Err(_) => t.errors += 1,
            }
        }
    }
    println!("| extractor | text | errors | panics/crashes | timeouts | ≥ 90 % words |");
    println!("|---|---|---|---|---|---|");
    for (runner, t) in runners.iter().zip(tallies) {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            runner.name(),
            t.text,
            t.errors,
            t.panics,
            t.timeouts,
            t.good
        );
    }
}
