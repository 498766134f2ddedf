//! Records say how far they can be trusted: a document whose text was not fully read carries
//! warnings, is never green and says "partly read" wherever its light is shown — in every
//! report format of the real binary, and through the library API.
//!
//! The partly read document is a green corpus agreement cut off before its end (its last 30
//! bytes, `startxref` and `%%EOF`, are gone, as an interrupted download leaves it): pdftotext
//! rebuilds it, so all its clauses are read, but ampel cannot know that nothing is missing.

use std::path::{Path, PathBuf};

use ampel::report::wire::{DocumentRecord, Output};
use assert_cmd::Command;
use tempfile::TempDir;

const GREEN: &str = "corpus/pdf/de-green-schulcloud.pdf";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn ampel() -> Command {
    let mut cmd = Command::cargo_bin("ampel").expect("binary");
    cmd.current_dir(root()).env("NO_COLOR", "1");
    cmd
}

/// The green agreement without its last 30 bytes, in a temporary folder.
fn truncated(temp: &TempDir) -> PathBuf {
    let bytes = std::fs::read(root().join(GREEN)).unwrap();
    let path = temp.path().join("schulcloud-cut.pdf");
    std::fs::write(&path, &bytes[..bytes.len() - 30]).unwrap();
    path
}

fn run(args: &[&str], file: &Path) -> String {
    let out = ampel().args(args).arg(file).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_intact_agreement_is_green_without_warnings() {
    let line = run(&["scan", "-q", "--format", "jsonl"], &root().join(GREEN));
    let record: DocumentRecord = serde_json::from_str(&line).unwrap();
    assert_eq!(
        (record.status.as_str(), record.ampel.as_str()),
        ("ok", "green")
    );
    assert!(record.warnings.is_empty(), "{:?}", record.warnings);
    assert!(!record.partly_read);
}

#[test]
fn a_truncated_green_agreement_is_yellow_partly_read_with_its_warnings() {
    let temp = TempDir::new().unwrap();
    let file = truncated(&temp);
    let json = run(&["scan", "-q", "--format", "json", "--lang", "en"], &file);
    let output: Output = serde_json::from_str(&json).expect("strict JSON");
    let record = &output.documents[0];
    assert_eq!(record.status, "ok");
    assert_eq!(record.ampel, "yellow", "never green when partly read");
    assert!(record.partly_read);
    assert_eq!(output.summary.yellow, 1);
    assert_eq!(output.summary.green, 0);
    let kinds: Vec<&str> = record.warnings.iter().map(|w| w.kind.as_str()).collect();
    assert!(kinds.contains(&"truncated"), "{kinds:?}");
    assert!(kinds.contains(&"fallback"), "{kinds:?}");
    let truncation = record
        .warnings
        .iter()
        .find(|w| w.kind == "truncated")
        .unwrap();
    assert!(truncation.partial);
    assert!(
        truncation.message.contains("%%EOF"),
        "{}",
        truncation.message
    );
    let fallback = record
        .warnings
        .iter()
        .find(|w| w.kind == "fallback")
        .unwrap();
    assert!(!fallback.partial);
    assert_eq!(fallback.extractor.as_deref(), Some("pdftotext"));

    // The output, warnings included, validates against the committed JSON Schema.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("src/report/ampel-report-v1.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn every_format_says_partly_read_where_the_light_is_shown() {
    let temp = TempDir::new().unwrap();
    let file = truncated(&temp);
    let text = run(&["scan", "-q", "--lang", "en"], &file);
    assert!(text.contains("● YELLOW (partly read)"), "{text}");
    assert!(text.contains("Warnings"), "{text}");
    assert!(text.contains("truncated file"), "{text}");

    let german = run(&["scan", "-q", "--lang", "de"], &file);
    assert!(german.contains("● GELB (teilweise gelesen)"), "{german}");
    assert!(german.contains("Warnungen"), "{german}");
    assert!(german.contains("abgeschnittene Datei"), "{german}");

    let markdown = run(
        &["scan", "-q", "--format", "markdown", "--lang", "en"],
        &file,
    );
    // In the summary table and in the document's heading.
    assert_eq!(
        markdown.matches("YELLOW (partly read)").count(),
        2,
        "{markdown}"
    );
    assert!(markdown.contains("- ⚠️ truncated file"), "{markdown}");

    let html = run(&["scan", "-q", "--format", "html", "--lang", "en"], &file);
    // In the overview row and in the document's heading.
    assert_eq!(
        html.matches(r#"<span class="partly">(partly read)</span>"#)
            .count(),
        2,
        "{html}"
    );
    assert!(html.contains(r#"<li data-kind="truncated">"#), "{html}");

    let csv = run(&["scan", "-q", "--format", "csv", "--lang", "en"], &file);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let column = |name: &str| &row[header.iter().position(|h| h == name).unwrap()];
    assert_eq!(column("ampel"), "yellow");
    assert_eq!(column("partly_read"), "true");
    assert!(
        column("warnings").contains("truncated: truncated file"),
        "{csv}"
    );

    let sarif = run(&["scan", "-q", "--format", "sarif", "--lang", "en"], &file);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let run0 = &sarif["runs"][0];
    let artifact = &run0["artifacts"][0]["properties"];
    assert_eq!(artifact["ampel"], "yellow");
    assert_eq!(artifact["partly_read"], true);
    let notes = run0["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    let truncation = notes
        .iter()
        .find(|n| n["properties"]["warning"] == "truncated")
        .expect("a notification per warning");
    assert_eq!(truncation["level"], "warning");
    assert_eq!(truncation["properties"]["partial"], true);
    assert!(
        truncation["message"]["text"]
            .as_str()
            .unwrap()
            .contains("(partly read)")
    );
}

#[test]
fn fail_on_yellow_catches_a_partly_read_agreement() {
    let temp = TempDir::new().unwrap();
    let file = truncated(&temp);
    let intact = ampel()
        .args(["scan", "-q", "--fail-on", "yellow", GREEN])
        .output()
        .unwrap();
    assert_eq!(intact.status.code(), Some(0));
    let cut = ampel()
        .args(["scan", "-q", "--fail-on", "yellow"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(cut.status.code(), Some(1));
}

#[test]
fn the_library_returns_the_record_the_binary_writes() {
    let temp = TempDir::new().unwrap();
    let file = truncated(&temp);
    let line = run(&["scan", "-q", "--format", "jsonl"], &file);
    let from_binary: DocumentRecord = serde_json::from_str(&line).unwrap();
    let from_library = ampel::scan_path(&file);
    assert_eq!(from_library, from_binary);
    let bytes = std::fs::read(&file).unwrap();
    let from_bytes = ampel::scan_bytes(&file.display().to_string(), &bytes);
    assert_eq!(from_bytes, from_binary);
}
