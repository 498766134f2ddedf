//! The same agreement in every format gives the same checklist.
//!
//! `tests/formats/NAME.md` is the source of each agreement; `tests/formats/make.sh` builds
//! from it a text export, a Word and an OpenDocument file, a saved web page (with menu,
//! cookie banner and scripts around the text), a PDF, and a scanned PDF (the PDF's pages as
//! black-and-white images, no text layer). The real binary reads all of them, the scan with
//! `--ocr`, and every format must give exactly the checklist (requirement → status) and the
//! Ampel of the Markdown source. On a difference the test prints a table format × requirement.
//!
//! The scan needs tesseract (German and English data) and pdftoppm; `.ci/run` installs them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ampel::report::wire::DocumentRecord;
use assert_cmd::Command;

const FORMATS: &[(&str, &str)] = &[
    ("markdown", ".md"),
    ("text", ".txt"),
    ("docx", ".docx"),
    ("odt", ".odt"),
    ("html", ".html"),
    ("pdf", ".pdf"),
    ("scan", "-scan.pdf"),
];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats")
}

fn ampel() -> Command {
    let mut cmd = Command::cargo_bin("ampel").expect("binary");
    cmd.env_remove("CLICOLOR_FORCE").env("NO_COLOR", "1");
    cmd
}

/// The agreements: every `NAME.md` in tests/formats.
fn agreements() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .expect("tests/formats exists")
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            name.strip_suffix(".md").map(str::to_string)
        })
        .collect();
    names.sort();
    names
}

fn file(name: &str, suffix: &str) -> String {
    let path = dir().join(format!("{name}{suffix}"));
    assert!(
        path.exists(),
        "{} is missing: run bash tests/formats/make.sh",
        path.display()
    );
    path.display().to_string()
}

fn scan_jsonl(files: &[String], ocr: bool) -> Vec<DocumentRecord> {
    let mut cmd = ampel();
    cmd.args(["scan", "--format", "jsonl"]);
    if ocr {
        cmd.arg("--ocr");
    }
    let out = cmd.args(files).output().expect("run ampel");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("strict record"))
        .collect()
}

fn require_ocr() {
    if let Err(missing) = ampel::extract::ocr::availability() {
        panic!(
            "the scanned formats need OCR, which is not available here ({missing}): {} (as .ci/run does)",
            ampel::extract::ocr::INSTALL_HINT
        );
    }
}

type Checklist = BTreeMap<String, String>;

fn checklist(record: &DocumentRecord) -> Checklist {
    record
        .checklist
        .iter()
        .map(|c| (c.requirement.clone(), c.status.clone()))
        .collect()
}

/// A table format × requirement, differences marked with `*`.
fn table(name: &str, results: &[(&str, &DocumentRecord)]) -> String {
    let reference = checklist(results[0].1);
    let mut out = format!("\n{name}\n{:<28}", "");
    for (format, _) in results {
        write!(out, " {format:<9}").unwrap();
    }
    let mut row = |label: &str, cells: Vec<(String, bool)>| {
        write!(out, "\n{label:<28}").unwrap();
        for (cell, differs) in cells {
            let mark = if differs { "*" } else { " " };
            write!(out, " {mark}{cell:<8}").unwrap();
        }
    };
    let status = |r: &DocumentRecord| r.status.clone();
    row(
        "status",
        results
            .iter()
            .map(|(_, r)| (status(r), status(r) != status(results[0].1)))
            .collect(),
    );
    row(
        "ampel",
        results
            .iter()
            .map(|(_, r)| (r.ampel.clone(), r.ampel != results[0].1.ampel))
            .collect(),
    );
    for (requirement, want) in &reference {
        row(
            requirement,
            results
                .iter()
                .map(|(_, r)| {
                    let got = checklist(r).get(requirement).cloned().unwrap_or("-".into());
                    let differs = &got != want;
                    (got, differs)
                })
                .collect(),
        );
    }
    out.push('\n');
    out
}

#[test]
fn every_format_gives_the_same_checklist() {
    require_ocr();
    let names = agreements();
    assert!(
        names.len() >= 2,
        "tests/formats holds at least two agreements"
    );
    let files: Vec<String> = names
        .iter()
        .flat_map(|n| FORMATS.iter().map(move |(_, suffix)| file(n, suffix)))
        .collect();
    let records = scan_jsonl(&files, true);
    assert_eq!(records.len(), files.len(), "one record per file");

    let mut failures = String::new();
    for (i, name) in names.iter().enumerate() {
        let mine = &records[i * FORMATS.len()..(i + 1) * FORMATS.len()];
        let results: Vec<(&str, &DocumentRecord)> =
            FORMATS.iter().map(|(f, _)| *f).zip(mine).collect();
        let source = results[0].1;
        assert_eq!(source.status, "ok", "{name}.md: {:?}", source.message);
        let addressed = source
            .checklist
            .iter()
            .filter(|c| c.status != "missing")
            .count();
        assert!(
            addressed >= 8,
            "{name}.md: only {addressed} requirements found; the agreement or the rule pack is broken"
        );
        let same = results.iter().all(|(_, r)| {
            r.status == source.status
                && r.ampel == source.ampel
                && checklist(r) == checklist(source)
        });
        if !same {
            failures.push_str(&table(name, &results));
        }
        for (format, record) in &results {
            let expected_format = match *format {
                "scan" => "pdf",
                other => other,
            };
            assert_eq!(
                record.format.as_deref(),
                Some(expected_format),
                "{}",
                record.path
            );
            let ocr = *format == "scan";
            let extractor = record.extractor.as_deref().unwrap_or("");
            assert_eq!(
                extractor.contains("tesseract"),
                ocr,
                "{}: extractor {extractor}",
                record.path
            );
            let evidence = record
                .checklist
                .iter()
                .flat_map(|c| &c.evidence)
                .chain(record.findings.iter().flat_map(|f| &f.evidence));
            for e in evidence {
                assert_eq!(
                    e.ocr, ocr,
                    "{}: evidence on page {} marked ocr={}",
                    record.path, e.page, e.ocr
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "formats of the same agreement give different checklists (* = differs from markdown):{failures}"
    );
}

#[test]
fn scan_without_ocr_says_how_to_enable_it() {
    let scan = file(&agreements()[0], "-scan.pdf");
    let records = scan_jsonl(std::slice::from_ref(&scan), false);
    assert_eq!(records[0].status, "no_text");
    let message = records[0].message.as_deref().unwrap_or("");
    assert!(message.contains("--ocr"), "{message}");
    assert!(message.contains("OCR the file first"), "{message}");
}

#[test]
fn scan_with_ocr_but_without_tesseract_gives_the_install_hint() {
    let scan = file(&agreements()[0], "-scan.pdf");
    // An empty PATH: neither tesseract nor pdftoppm can be found.
    let empty = tempfile::TempDir::new().unwrap();
    let out = ampel()
        .env("PATH", empty.path())
        .args(["scan", "--format", "json", "--ocr", &scan])
        .output()
        .unwrap();
    let output: ampel::report::wire::Output =
        serde_json::from_slice(&out.stdout).expect("strict JSON");
    let record = &output.documents[0];
    assert_eq!(record.status, "no_text");
    let message = record.message.as_deref().unwrap_or("");
    assert!(
        message.contains(ampel::extract::ocr::INSTALL_HINT),
        "{message}"
    );
}

#[test]
fn text_report_marks_quotes_read_by_ocr() {
    require_ocr();
    let name = &agreements()[0];
    let out = ampel()
        .args([
            "scan",
            "--ocr",
            &file(name, "-scan.pdf"),
            &file(name, ".pdf"),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let (scan, pdf) = stdout
        .split_once(&format!("{name}.pdf"))
        .expect("both documents reported");
    assert!(scan.contains("[OCR]:"), "{scan}");
    assert!(!pdf.contains("[OCR]"), "{pdf}");
}

#[test]
fn broken_bombed_and_locked_office_files_get_their_status() {
    use std::io::Write as _;
    let dir = tempfile::TempDir::new().unwrap();
    // 60 MiB of spaces deflate to about 60 KiB: over the 200:1 ratio allowed.
    let mut bomb = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut bomb);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", options).unwrap();
        zip.write_all(&vec![b' '; 60 * 1024 * 1024]).unwrap();
        zip.finish().unwrap();
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("bomb.docx", bomb.into_inner(), "too_large"),
        // Office stores password-protected .docx files as compound files.
        (
            "locked.docx",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 EncryptedPackage".to_vec(),
            "encrypted",
        ),
        (
            "cut.odt",
            b"PK\x03\x04\x14\x00\x00\x00cut off".to_vec(),
            "corrupt",
        ),
    ];
    let paths: Vec<String> = cases
        .iter()
        .map(|(name, bytes, _)| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path.display().to_string()
        })
        .collect();
    let records = scan_jsonl(&paths, false);
    let got: Vec<&str> = records.iter().map(|r| r.status.as_str()).collect();
    let want: Vec<&str> = cases.iter().map(|c| c.2).collect();
    assert_eq!(got, want, "{records:#?}");
    assert!(
        records
            .iter()
            .all(|r| r.message.as_deref().is_some_and(|m| m.len() > 20))
    );
}
