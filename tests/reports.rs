//! The report formats on a real batch, each checked against the JSON output of the same
//! batch: CSV rows, Markdown, SARIF (parsed into the serde-sarif types), the published JSON
//! Schema, `-o FILE` and the progress bar.

mod support;

use std::collections::BTreeSet;
use std::process::Stdio;

use ampel::report::wire::{DocumentRecord, Output};
use serde_sarif::sarif::{ResultLevel, Sarif};
use support::{Batch, GREEN, ampel, fixture, rules_args};
use tempfile::TempDir;

fn severity_count(doc: &DocumentRecord, severity: &str) -> usize {
    doc.findings
        .iter()
        .filter(|f| f.severity == severity)
        .count()
}

/// The batch has what the other checks rely on: rated documents of more than one colour and
/// unrated ones. (Green is not required: the built-in pack may find more in the green text
/// than the test pack does.)
fn assert_batch_is_varied(json: &Output) {
    let ampels: BTreeSet<&str> = json.documents.iter().map(|d| d.ampel.as_str()).collect();
    for colour in ["red", "yellow", "unknown"] {
        assert!(ampels.contains(colour), "no {colour} document: {ampels:?}");
    }
}

#[test]
fn csv_has_a_stable_header_and_one_row_per_document() {
    let batch = Batch::new();
    let json = batch.json(&[]);
    assert_batch_is_varied(&json);
    let (csv, _) = batch.run("csv", &[]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "path", "status", "ampel", "red", "yellow", "info", "flagged", "missing", "format",
            "pages", "language", "message", "accepted"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), json.documents.len(), "one row per document");
    for (row, doc) in rows.iter().zip(&json.documents) {
        assert_eq!(&row[0], doc.path);
        assert_eq!(&row[1], doc.status);
        assert_eq!(&row[2], doc.ampel);
        if doc.status == "ok" {
            for (column, severity) in [(3, "red"), (4, "yellow"), (5, "info")] {
                assert_eq!(
                    row[column],
                    severity_count(doc, severity).to_string(),
                    "{} {severity}",
                    doc.path
                );
            }
        } else {
            assert_eq!(&row[3], "", "{}: no counts when not rated", doc.path);
            assert_eq!(&row[11], doc.message.as_deref().unwrap_or(""));
        }
        let flagged: Vec<&str> = doc
            .checklist
            .iter()
            .filter(|c| c.status == "flagged")
            .map(|c| c.requirement.as_str())
            .collect();
        let missing: Vec<&str> = doc
            .findings
            .iter()
            .filter(|f| f.kind == "missing")
            .map(|f| f.requirement.as_str())
            .collect();
        assert_eq!(row[6], flagged.join(";"), "{}", doc.path);
        assert_eq!(row[7], missing.join(";"), "{}", doc.path);
        assert_eq!(row[9], doc.pages.to_string());
    }
}

/// The cells of a Markdown table row, split at `|` that are not escaped.
fn cells(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut escaped = false;
    for c in line
        .trim()
        .trim_start_matches('|')
        .trim_end_matches('|')
        .chars()
    {
        if c == '|' && !escaped {
            cells.push(String::new());
        } else {
            cells.last_mut().unwrap().push(c);
        }
        escaped = c == '\\' && !escaped;
    }
    cells.iter().map(|c| c.trim().to_string()).collect()
}

#[test]
fn markdown_has_a_summary_table_sections_and_escaped_quotes() {
    let batch = Batch::new();
    let json = batch.json(&[]);
    let (md, _) = batch.run("markdown", &[]);
    let rows: Vec<Vec<String>> = md
        .lines()
        .filter(|l| {
            l.starts_with("| ")
                && l.split('|')
                    .nth(1)
                    .is_some_and(|c| c.trim().parse::<usize>().is_ok())
        })
        .map(cells)
        .collect();
    assert_eq!(
        rows.len(),
        json.documents.len(),
        "one summary row per document:\n{md}"
    );
    for (row, doc) in rows.iter().zip(&json.documents) {
        assert_eq!(
            row.len(),
            7,
            "a quote or name must not break the table: {row:?}"
        );
        let verdict = match doc.ampel.as_str() {
            "red" => "RED",
            "yellow" => "YELLOW",
            "green" => "GREEN",
            _ => "NOT RATED",
        };
        assert!(row[2].contains(verdict), "{row:?} vs {}", doc.ampel);
    }
    let sections = md.lines().filter(|l| l.starts_with("## ")).count();
    assert_eq!(sections, json.documents.len());
    let quotes = md
        .lines()
        .filter(|l| l.starts_with("> ") && !l.starts_with("> —"))
        .count();
    let evidence: usize = json
        .documents
        .iter()
        .flat_map(|d| &d.findings)
        .map(|f| f.evidence.len())
        .sum();
    assert_eq!(quotes, evidence, "every quote as a blockquote");
    assert!(
        md.match_indices('<').all(|(i, _)| md[..i].ends_with('\\')),
        "markup from a document stays text"
    );
    assert!(md.contains("\\<img src=x onerror=alert(1)\\> \\| \"product\""));
    let (de, _) = batch.run("markdown", &["--lang", "de"]);
    assert!(de.contains("# Prüfbericht"), "{de}");
    assert!(de.contains("### Checkliste"));
}

#[test]
fn sarif_has_one_result_per_finding_with_rule_metadata() {
    let batch = Batch::new();
    let json = batch.json(&[]);
    let (text, _) = batch.run("sarif", &[]);
    let log: Sarif = serde_json::from_str(&text).expect("SARIF parses into serde-sarif types");
    assert_eq!(log.version, "2.1.0");
    assert_eq!(log.runs.len(), 1);
    let run = &log.runs[0];
    let rules = run.tool.driver.rules.as_ref().expect("rule metadata");
    let artifacts = run.artifacts.as_ref().expect("artifacts");
    assert_eq!(
        artifacts.len(),
        json.documents.len(),
        "every document is an artifact"
    );
    let results = run.results.as_ref().expect("results");

    let findings: Vec<(usize, &ampel::report::wire::FindingRecord)> = json
        .documents
        .iter()
        .enumerate()
        .flat_map(|(i, d)| d.findings.iter().map(move |f| (i, f)))
        .collect();
    assert!(!findings.is_empty());
    assert_eq!(results.len(), findings.len(), "one result per finding");
    for (result, (doc, finding)) in results.iter().zip(&findings) {
        assert_eq!(result.rule_id.as_deref(), Some(finding.rule.as_str()));
        let expected_level = match finding.severity.as_str() {
            "red" => ResultLevel::Error,
            "yellow" => ResultLevel::Warning,
            _ => ResultLevel::Note,
        };
        assert_eq!(
            result.level.as_ref().map(ToString::to_string),
            Some(expected_level.to_string()),
            "{}",
            finding.rule
        );
        let rule = &rules[result.rule_index.expect("rule index") as usize];
        assert_eq!(rule.id, finding.rule);
        let help = &rule.help.as_ref().expect("help").text;
        assert!(help.contains(&finding.legal_basis), "{help}");
        let props = &rule.properties.as_ref().unwrap().additional_properties;
        assert_eq!(props["legal_basis"], finding.legal_basis.as_str());

        let locations = result.locations.as_ref().expect("locations");
        assert_eq!(locations.len(), finding.evidence.len().max(1));
        for location in locations {
            let physical = location.physical_location.as_ref().unwrap();
            let artifact = physical.artifact_location.as_ref().unwrap();
            assert_eq!(artifact.index, Some(*doc as i64));
            assert_eq!(artifacts[*doc].location.as_ref().unwrap().uri, artifact.uri);
        }
        for (location, e) in locations.iter().zip(&finding.evidence) {
            let region = location
                .physical_location
                .as_ref()
                .unwrap()
                .region
                .as_ref()
                .expect("a quote has a region");
            assert_eq!(region.char_offset, Some(e.start as i64));
            assert_eq!(region.char_length, Some((e.end - e.start) as i64));
            assert_eq!(
                region.snippet.as_ref().unwrap().text.as_deref(),
                Some(e.quote.as_str())
            );
            let props = &location.properties.as_ref().unwrap().additional_properties;
            assert_eq!(props["page"], e.page);
        }
    }
    let notifications = run.invocations.as_ref().unwrap()[0]
        .tool_execution_notifications
        .as_ref()
        .expect("notifications");
    let unrated = json.documents.iter().filter(|d| d.status != "ok").count();
    assert_eq!(notifications.len(), unrated, "no unrated document is lost");
    assert!(notifications.iter().any(|n| {
        n.message
            .text
            .as_deref()
            .is_some_and(|t| t.contains("truncated.pdf: corrupt"))
    }));
}

fn schema(args: &[&str]) -> serde_json::Value {
    let out = ampel().arg("schema").args(args).output().unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).expect("the schema is JSON")
}

#[test]
fn real_output_validates_against_the_published_schema() {
    let batch = Batch::with_corpus();
    let (json, _) = batch.run("json", &[]);
    let (jsonl, _) = batch.run("jsonl", &[]);
    let validator = jsonschema::validator_for(&schema(&[])).expect("a valid schema");
    let line_validator =
        jsonschema::validator_for(&schema(&["--format", "jsonl"])).expect("a valid schema");

    let output: serde_json::Value = serde_json::from_str(&json).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&output)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    for line in jsonl.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let errors: Vec<String> = line_validator
            .iter_errors(&record)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{line}\n{}", errors.join("\n"));
    }

    // The schema is strict enough to catch a wrong value or a renamed field.
    let mut wrong = output.clone();
    wrong["documents"][0]["ampel"] = "purple".into();
    assert!(!validator.is_valid(&wrong));
    let mut renamed = output.clone();
    let doc = renamed["documents"][0].as_object_mut().unwrap();
    let status = doc.remove("status").unwrap();
    doc.insert("state".into(), status);
    assert!(!validator.is_valid(&renamed));
}

#[test]
fn the_published_schema_file_is_current() {
    let path = support::manifest_dir().join("src/report/ampel-report-v1.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let out = ampel().arg("schema").output().unwrap();
    assert_eq!(
        committed,
        String::from_utf8(out.stdout).unwrap(),
        "{} is stale: run `cargo run -- schema > src/report/ampel-report-v1.schema.json`",
        path.display()
    );
}

#[test]
fn output_file_holds_the_same_report_as_stdout_and_nothing_is_left_behind() {
    let batch = Batch::new();
    for format in ["text", "json", "jsonl", "html", "sarif", "csv", "markdown"] {
        let (stdout, _) = batch.run(format, &[]);
        let dir = TempDir::new().unwrap();
        let path = dir.path().join(format!("report.{format}"));
        std::fs::write(&path, "an older report").unwrap();
        let out = ampel()
            .args(["scan", "--format", format, "-o"])
            .arg(&path)
            .args(rules_args())
            .args(&batch.inputs)
            .output()
            .unwrap();
        assert!(out.status.success(), "{format}");
        assert!(out.stdout.is_empty(), "{format}: nothing on stdout with -o");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            stdout,
            "{format}: the file holds the whole report"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            left,
            vec![path.file_name().unwrap()],
            "{format}: no temporary file left"
        );
    }
}

#[test]
fn output_into_a_missing_folder_fails_before_any_work() {
    let dir = TempDir::new().unwrap();
    let target = dir.path().join("no/such/folder/report.html");
    let out = ampel()
        .args(["scan", "--format", "html", "-o"])
        .arg(&target)
        .arg(fixture("en-sample.pdf"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("report.html"), "{stderr}");
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

/// A batch bigger than the progress bar's threshold.
fn many_documents(dir: &TempDir) -> Vec<String> {
    (0..6)
        .map(|i| {
            let path = dir.path().join(format!("avv-{i}.txt"));
            std::fs::write(&path, GREEN).unwrap();
            path.display().to_string()
        })
        .collect()
}

#[test]
fn no_progress_bar_reaches_a_pipe() {
    let dir = TempDir::new().unwrap();
    let inputs = many_documents(&dir);
    for format in ["json", "text"] {
        let out = ampel()
            .args(["scan", "--format", format])
            .args(&inputs)
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(
            out.stderr.is_empty(),
            "{format}: stderr is a pipe, so no bar: {:?}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            !stdout.contains('\r') && !stdout.contains('\x1b'),
            "{format}"
        );
        assert!(
            !stdout.contains("documents, "),
            "{format}: bar text in stdout"
        );
        if format == "json" {
            let parsed: Output = serde_json::from_str(&stdout).expect("stdout is pure JSON");
            assert_eq!(parsed.documents.len(), inputs.len());
        }
    }
}

/// Runs `ampel scan --format json ARGS > stdout.json` with stderr on a pseudo-terminal (via
/// util-linux `script`); returns (what reached the terminal, stdout).
fn scan_on_a_terminal(dir: &TempDir, args: &[String]) -> (String, String) {
    let bin = assert_cmd::cargo::cargo_bin("ampel");
    let stdout = dir.path().join("stdout.json");
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    let command = format!(
        "{} scan --format json {} > {}",
        quote(&bin.display().to_string()),
        args.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" "),
        quote(&stdout.display().to_string())
    );
    let typescript = dir.path().join("terminal.log");
    let status = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &command])
        .arg(&typescript)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("util-linux `script` runs the scan on a pseudo-terminal; install bsdutils");
    assert!(status.success(), "{command}");
    (
        String::from_utf8_lossy(&std::fs::read(&typescript).unwrap()).into_owned(),
        std::fs::read_to_string(&stdout).unwrap(),
    )
}

#[test]
fn progress_bar_on_a_terminal_and_quiet_silences_it() {
    let dir = TempDir::new().unwrap();
    let inputs = many_documents(&dir);
    let (terminal, stdout) = scan_on_a_terminal(&dir, &inputs);
    assert!(
        terminal.contains(&format!("/{} documents", inputs.len())),
        "a bar on the terminal: {terminal:?}"
    );
    let parsed: Output = serde_json::from_str(&stdout).expect("stdout stays pure JSON");
    assert_eq!(parsed.documents.len(), inputs.len());

    let mut quiet = vec!["--quiet".to_string()];
    quiet.extend(inputs.iter().cloned());
    let (terminal, stdout) = scan_on_a_terminal(&dir, &quiet);
    assert!(!terminal.contains("documents"), "--quiet: {terminal:?}");
    let _: Output = serde_json::from_str(&stdout).expect("pure JSON");
}
