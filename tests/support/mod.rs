//! Shared by the report tests: a batch of real inputs (agreements of every colour, the PDF
//! fixture, broken files, and the corpus when it is there), run through the real binary with
//! the small rule pack in `tests/fixtures/report-rules` on top of the built-in one, so every
//! severity occurs whatever the built-in pack holds.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use ampel::report::wire::Output;
use assert_cmd::Command;
use tempfile::TempDir;

pub fn ampel() -> Command {
    let mut cmd = Command::cargo_bin("ampel").expect("binary");
    cmd.env_remove("CLICOLOR_FORCE").env("NO_COLOR", "1");
    cmd
}

pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Panics with the command's stderr unless it exited with 0.
pub fn assert_ok(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A path under `corpus/`, as a string.
pub fn corpus(path: &str) -> String {
    manifest_dir()
        .join("corpus")
        .join(path)
        .display()
        .to_string()
}

pub fn fixture(name: &str) -> String {
    manifest_dir()
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// `--rules` with the report test pack.
pub fn rules_args() -> [String; 2] {
    ["--rules".to_string(), fixture("report-rules")]
}

/// An agreement with every Art. 28 clause the test pack looks for.
pub const GREEN: &str = "Data Processing Agreement

1. Subject matter
The subject matter and duration of the processing are set out in Annex 1.

2. Instructions
The Processor processes personal data only on documented instructions from the Controller. The Processor shall immediately inform the Controller if, in its opinion, an instruction infringes the GDPR.

3. Confidentiality
Persons authorised to process personal data have committed themselves to confidentiality.

4. Security
The Processor implements technical and organisational measures under Article 32 GDPR.

5. Sub-processors
The Processor shall not engage another processor without prior specific or general written authorisation of the Controller.

6. Assistance
The Processor helps the Controller to answer requests from data subjects. The Processor assists the Controller with any data protection impact assessment.

7. Breaches
The Processor notifies the Controller without undue delay after becoming aware of a personal data breach.

8. End of processing
At the choice of the Controller, the Processor shall delete or return all personal data.

9. Audits
The Processor allows for and contributes to audits, including inspections, by the Controller.
";

/// A clause that makes [`GREEN`] red, with markup and quotes that must be escaped.
pub const RED_CLAUSE: &str = "
10. Use of data
The Processor may also use the personal data for its own purposes <img src=x onerror=alert(1)> | \"product\" & 'service' *improvement*.
";

/// A German agreement with few clauses and an audit restriction: yellow.
pub const YELLOW_DE: &str = "Auftragsverarbeitungsvertrag nach Art. 28 DSGVO

§ 1 Weisungen
Der Auftragsverarbeiter verarbeitet personenbezogene Daten ausschließlich auf dokumentierte Weisung des Verantwortlichen.

§ 2 Kontrollen
Kontrollen finden höchstens einmal pro Jahr statt.
";

/// A batch of inputs in a temporary folder (kept alive with it).
pub struct Batch {
    pub dir: TempDir,
    pub inputs: Vec<String>,
}

impl Batch {
    /// Agreements of every colour (one with HTML-like text in its name), the PDF fixture and
    /// broken files.
    pub fn new() -> Batch {
        let dir = TempDir::new().expect("temp dir");
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).expect("write");
            path.display().to_string()
        };
        let inputs = vec![
            write("green.txt", GREEN.as_bytes()),
            write(
                "red <b>&\"'vendor'\".txt",
                format!("{GREEN}{RED_CLAUSE}").as_bytes(),
            ),
            write("yellow-de.txt", YELLOW_DE.as_bytes()),
            fixture("en-sample.pdf"),
            fixture("truncated.pdf"),
            fixture("encrypted-user-password.pdf"),
            write("empty.txt", b""),
        ];
        Batch { dir, inputs }
    }

    /// [`Batch::new`] and every document of `corpus/`, when the corpus is there.
    pub fn with_corpus() -> Batch {
        let mut batch = Batch::new();
        batch.inputs.extend(corpus_files());
        batch
    }

    /// The batch as `--format json`, parsed strictly.
    pub fn json(&self, extra: &[&str]) -> Output {
        let out = ampel()
            .args(["scan", "--format", "json"])
            .args(rules_args())
            .args(extra)
            .args(&self.inputs)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("strict JSON")
    }

    /// The batch in `format`: (stdout, stderr).
    pub fn run(&self, format: &str, extra: &[&str]) -> (String, String) {
        let out = ampel()
            .args(["scan", "--format", format])
            .args(rules_args())
            .args(extra)
            .args(&self.inputs)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8(out.stdout).expect("utf-8"),
            String::from_utf8(out.stderr).expect("utf-8"),
        )
    }
}

/// The documents of `corpus/` (sources and PDFs), if the corpus is there.
pub fn corpus_files() -> Vec<String> {
    let mut files: Vec<PathBuf> = ["corpus/src", "corpus/pdf"]
        .iter()
        .map(|d| manifest_dir().join(d))
        .filter(|d| d.is_dir())
        .flat_map(|d| std::fs::read_dir(d).expect("corpus folder").flatten())
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "pdf" || e == "txt" || e == "md")
        })
        .collect();
    files.sort();
    files.iter().map(|p| p.display().to_string()).collect()
}
