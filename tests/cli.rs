//! The real binary on real files: one record per input, input order, exit codes, strict JSON.

use std::path::Path;

use ampel::report::rule_list::RuleList;
use ampel::report::wire::{DocumentRecord, Output};
use assert_cmd::Command;
use tempfile::TempDir;

fn ampel() -> Command {
    let mut cmd = Command::cargo_bin("ampel").expect("binary");
    cmd.env_remove("CLICOLOR_FORCE").env("NO_COLOR", "1");
    cmd
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

const SHORT_DPA: &str = "Auftragsverarbeitungsvertrag nach Art. 28 DSGVO

§ 1 Gegenstand
Der Auftragsverarbeiter verarbeitet personenbezogene Daten ausschließlich auf dokumentierte Weisung des Verantwortlichen.

§ 2 Vertraulichkeit
Der Auftragsverarbeiter gewährleistet, dass sich die zur Verarbeitung befugten Personen zur Vertraulichkeit verpflichtet haben.
";

/// `ampel rules test` of the rule folder `dir` (with the built-in rules).
fn rules_test(dir: &Path) -> std::process::Output {
    ampel().args(["rules", "test"]).arg(dir).output().unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path.display().to_string()
}

fn json(args: &[&str]) -> (Output, i32) {
    let out = ampel()
        .args(["scan", "--format", "json"])
        .args(args)
        .output()
        .expect("run");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let parsed: Output = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("strict JSON parse failed: {e}\n{stdout}"));
    (parsed, out.status.code().expect("exit code"))
}

#[test]
fn one_record_per_input_in_input_order_whatever_the_file() {
    let dir = TempDir::new().unwrap();
    let empty = write(dir.path(), "empty.txt", b"");
    let fake = write(
        dir.path(),
        "fake.pdf",
        b"\x00\x01\x02\x03 not a pdf at all \xff\xfe",
    );
    let docx = write(
        dir.path(),
        "vendor.docx",
        b"PK\x03\x04\x14\x00\x00\x00binary",
    );
    let text = write(dir.path(), "avv.txt", SHORT_DPA.as_bytes());
    let missing = dir.path().join("does-not-exist.pdf").display().to_string();
    let inputs = [
        fixture("truncated.pdf"),
        empty,
        fake,
        docx,
        text.clone(),
        missing,
        fixture("encrypted-user-password.pdf"),
        fixture("encrypted-no-user-password.pdf"),
    ];
    let args: Vec<&str> = ["--jobs", "2"]
        .into_iter()
        .chain(inputs.iter().map(String::as_str))
        .collect();
    let (output, code) = json(&args);
    let got: Vec<(&str, &str)> = output
        .documents
        .iter()
        .map(|d| (d.path.as_str(), d.status.as_str()))
        .collect();
    let expected: Vec<(&str, &str)> = vec![
        (&inputs[0], "corrupt"),
        (&inputs[1], "no_text"),
        (&inputs[2], "unsupported"),
        (&inputs[3], "corrupt"),
        (&inputs[4], "ok"),
        (&inputs[5], "error"),
        (&inputs[6], "encrypted"),
        (&inputs[7], "ok"),
    ];
    assert_eq!(got, expected);
    assert_eq!(code, 0, "findings never fail without --fail-on");
    for d in &output.documents {
        if d.status == "ok" {
            assert_eq!(
                d.checklist.len(),
                18,
                "{}: one checklist entry per requirement",
                d.path
            );
            assert!(d.message.is_none());
            assert_ne!(d.ampel, "unknown");
        } else {
            assert_eq!(d.ampel, "unknown", "{}", d.path);
            let message = d.message.as_deref().unwrap_or("");
            assert!(
                message.len() > 10,
                "{}: a status other than ok needs a message, got {message:?}",
                d.path
            );
        }
    }
    assert_eq!(output.summary.documents, inputs.len());
    assert_eq!(output.summary.unknown, 6);
}

#[test]
fn every_finding_has_evidence_except_missing() {
    // An agreement with both kinds of finding: a missing clause (processing details) and red
    // flags (breach notice), so both branches below run.
    let corpus = format!(
        "{}/corpus/pdf/en-yellow-formsbuilder.pdf",
        env!("CARGO_MANIFEST_DIR")
    );
    let (output, _) = json(&[&fixture("en-sample.pdf"), &corpus]);
    let mut kinds = Vec::new();
    for doc in &output.documents {
        assert_eq!(doc.status, "ok", "{doc:?}");
        assert_eq!(doc.format.as_deref(), Some("pdf"));
        assert_eq!(doc.language.as_deref(), Some("en"));
        for f in &doc.findings {
            kinds.push(f.kind.as_str());
            match f.kind.as_str() {
                "missing" => assert!(f.evidence.is_empty(), "{} has evidence", f.rule),
                "red_flag" => assert!(!f.evidence.is_empty(), "{} has no evidence", f.rule),
                other => panic!("unknown kind {other}"),
            }
        }
        let evidence = doc
            .checklist
            .iter()
            .flat_map(|item| &item.evidence)
            .chain(doc.findings.iter().flat_map(|f| &f.evidence));
        for e in evidence {
            assert!(e.page >= 1 && e.page as usize <= doc.pages, "{e:?}");
            assert!(e.start < e.end, "{e:?}");
            assert!(!e.quote.is_empty(), "{e:?}");
        }
    }
    assert_eq!(output.documents[0].pages, 2);
    assert!(kinds.contains(&"missing"), "{kinds:?}");
    assert!(kinds.contains(&"red_flag"), "{kinds:?}");
}

#[test]
fn jsonl_is_one_line_per_document_with_schema_version() {
    let dir = TempDir::new().unwrap();
    let a = write(dir.path(), "a.txt", SHORT_DPA.as_bytes());
    let b = write(dir.path(), "b.pdf", b"garbage");
    let out = ampel()
        .args(["scan", "--format", "jsonl", &a, &b])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<DocumentRecord> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("strict record"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l.schema_version == Some(1)));
    assert_eq!(lines[0].path, a);
    assert_eq!(lines[1].path, b);
}

#[test]
fn folders_are_walked_recursively_and_sorted() {
    let dir = TempDir::new().unwrap();
    std::fs::create_dir_all(dir.path().join("b/inner")).unwrap();
    write(&dir.path().join("b/inner"), "z.md", SHORT_DPA.as_bytes());
    write(dir.path(), "a.txt", SHORT_DPA.as_bytes());
    write(&dir.path().join("b"), "c.pdf", b"%PDF-1.4 broken");
    write(dir.path(), "notes.toml", b"not a document");
    write(dir.path(), "README.md", b"# About this folder");
    let (output, _) = json(&[&dir.path().display().to_string()]);
    let names: Vec<String> = output
        .documents
        .iter()
        .map(|d| {
            Path::new(&d.path)
                .strip_prefix(dir.path())
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(names, vec!["a.txt", "b/c.pdf", "b/inner/z.md"]);
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = TempDir::new().unwrap();
    // Yellow: a DPA missing most Art. 28 clauses.
    let yellow = write(dir.path(), "y.txt", SHORT_DPA.as_bytes());
    let code = |args: &[&str]| {
        ampel()
            .arg("scan")
            .args(args)
            .output()
            .unwrap()
            .status
            .code()
            .unwrap()
    };
    assert_eq!(code(&[&yellow]), 0);
    assert_eq!(code(&["--fail-on", "yellow", &yellow]), 1);
    assert_eq!(code(&["--fail-on", "red", &yellow]), 0);
    assert_eq!(
        code(&["--fail-on", "colourful", &yellow]),
        2,
        "bad arguments"
    );
    let missing = dir.path().join("nope.pdf").display().to_string();
    assert_eq!(code(&[&missing]), 2, "no input could be read at all");
}

#[test]
fn invalid_rule_pack_names_file_and_rule_and_exits_2() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "audits.broken.toml",
        br#"id = "audits.broken"
requirement = "audits"
kind = "red_flag"
severity = "purple"
"#,
    );
    let out = ampel()
        .args(["scan", "--rules"])
        .arg(dir.path())
        .arg(fixture("en-sample.pdf"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("audits.broken.toml"), "{stderr}");
    assert!(stderr.contains("rule `audits.broken`"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn text_output_is_plain_when_piped_and_ends_with_a_summary() {
    let out = ampel()
        .env_remove("NO_COLOR")
        .args(["scan", &fixture("en-sample.pdf"), &fixture("truncated.pdf")])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains('\x1b'), "no ANSI escapes when piped");
    let last = stdout.lines().last().unwrap();
    assert!(last.starts_with("2 documents:"), "{last}");
    assert!(last.contains("1 not rated"), "{last}");
    assert!(stdout.contains("Checklist"));
    assert!(stdout.contains("damaged or truncated PDF"));
}

#[test]
fn text_output_follows_lang() {
    let out = ampel()
        .args(["scan", "--lang", "de", &fixture("en-sample.pdf")])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("Checkliste"), "{stdout}");
    assert!(stdout.contains("1 Dokument:"), "{stdout}");
}

#[test]
fn output_is_deterministic() {
    let run = || {
        ampel()
            .args([
                "scan",
                "--format",
                "json",
                &fixture("en-sample.pdf"),
                &fixture("truncated.pdf"),
            ])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run(), run());
}

#[test]
fn rules_list_show_and_test() {
    let out = ampel()
        .args(["rules", "list", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let list: RuleList = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "strict rule list: {e}\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    assert_eq!(list.schema_version, 1);
    assert_eq!(list.tool.name, "ampel");
    let pack = ampel::rules::Pack::embedded().unwrap();
    assert_eq!(list.rules.len(), pack.rules.len());
    for (record, rule) in list.rules.iter().zip(&pack.rules) {
        assert_eq!(record.id, rule.id);
        assert_eq!(record.requirement, pack.requirements[rule.requirement].id);
        match (record.kind.as_str(), record.severity.as_deref()) {
            ("presence", None) | ("red_flag", Some("red" | "yellow" | "info")) => {}
            other => panic!("{}: kind and severity {other:?}", record.id),
        }
        assert!(!record.languages.is_empty() && !record.title.en.is_empty());
    }
    let first = list.rules[0].id.clone();
    let out = ampel().args(["rules", "show", &first]).output().unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("legal basis")
    );
    let out = ampel()
        .args(["rules", "show", "no.such-rule"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = ampel().args(["rules", "test"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains(" 0 failures"), "{stdout}");
}

/// `rules test` checks the built-in rules in full, as `cargo test` does: a rule folder that
/// widens a family the built-in rules use, so that the family's own pattern is within the
/// regex size limit but a built-in pattern built from it is not, is refused with the rule
/// named (loading the built-in pack lazily would not notice).
#[test]
fn rules_test_checks_the_built_in_rules_in_full() {
    let dir = TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("families.toml"),
        r#"[[family]]
name = "customer"
description = "The controller, with up to thirty more word characters."
pattern = '\b(customers?|kunde\w*)\w{0,30}'
keywords = ["customer", "kunde"]
"#,
    )
    .unwrap();
    let out = rules_test(dir.path());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("exceeds size limit"), "{stderr}");
    assert!(
        stderr.contains("rule `audits.audit-right-concept`"),
        "{stderr}"
    );
    assert!(!stderr.contains("families.toml"), "{stderr}");
}

/// A rule pattern that tells case apart (`(?-i:Anfragen)`, the noun, not the verb) matches as
/// written: the engine reads it on the text, not on the lower-cased coded text.
#[test]
fn a_rule_pattern_that_tells_case_apart_matches_as_written() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "audits.case-told.toml",
        r#"id = "audits.case-told"
requirement = "audits"
kind = "red_flag"
severity = "yellow"
scope = "sentence"
languages = ["de"]
legal_basis = "Art. 28(3)(h) GDPR"
keywords = ["anfragen"]
patterns = ['\b(?-i:Anfragen)\b']

[title]
de = "Test"
en = "Test"

[rationale]
de = "Test"
en = "Test"

[recommendation]
de = "Test"
en = "Test"

[suggested_clause]
de = "Test"
en = "Test"

[examples]
fires = ["Die Anfragen der Prüfer werden vom Auftragnehmer beantwortet.", "Alle Anfragen zu Kontrollen gehen an den Auftragnehmer."]
silent = ["Der Auftraggeber kann beim Auftragnehmer anfragen, ob eine Prüfung möglich ist.", "Wir werden vor der Kontrolle beim Kunden ANFRAGEN."]
"#.as_bytes(),
    );
    let out = rules_test(dir.path());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("4 validated, 0 failures"), "{stdout}");
}
