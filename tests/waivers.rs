//! Accepted deviations (waivers): the real binary scans copies of corpus agreements with a
//! waiver file (`--waivers` and `ampel.toml` in the scanned folder); the waived findings stop
//! setting the light and are listed as accepted in every report format; expired waivers count
//! again with a warning; unused waivers are reported; bad waiver files fail with file and line.
//! "Today" is fixed with `--today` / `AMPEL_TODAY`, so nothing depends on the calendar.

mod support;

use ampel::report::wire::{DocumentRecord, Output};
use support::{ampel, assert_ok, manifest_dir};
use tempfile::TempDir;

/// A folder with two corpus agreements: `acme/avv.md` (German, yellow) and `other.md`
/// (English, yellow), and `ampel.toml` as given.
fn folder(waivers: &str) -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    std::fs::create_dir(dir.path().join("acme")).expect("mkdir");
    let copy = |from: &str, to: &str| {
        std::fs::copy(
            manifest_dir().join("corpus/src").join(from),
            dir.path().join(to),
        )
        .expect("copy");
    };
    copy("de-yellow-personalportal.md", "acme/avv.md");
    copy("en-yellow-eventcloud.md", "other.md");
    std::fs::write(dir.path().join("ampel.toml"), waivers).expect("write");
    dir
}

/// Every finding of the German agreement that sets its light, waived by path glob.
const ALL_OF_ACME: &str = r#"
[[waiver]]
requirement = "instructions"
path = "acme/*.md"
reason = "standard software, configuration is enough"
accepted_by = "DPO Jana Roth"
expires = "2027-06-30"

[[waiver]]
requirement = "audits"
path = "acme/*.md"
reason = "ISO 27001 accepted for this low-risk service"
accepted_by = "DPO Jana Roth"
expires = "2027-06-30"

[[waiver]]
rule = "contract_changes.unilateral-amendment"
path = "acme/**"
reason = "changes are reviewed yearly"
accepted_by = "DPO Jana Roth"
expires = 2027-06-30
"#;

fn scan(dir: &TempDir, format: &str, today: &str) -> (String, String, i32) {
    let out = ampel()
        .current_dir(dir.path())
        .env("AMPEL_TODAY", today)
        .args(["scan", "--format", format, "--fail-on", "yellow", "."])
        .output()
        .expect("run");
    (
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
        out.status.code().expect("exit code"),
    )
}

fn acme(output: &Output) -> &DocumentRecord {
    output
        .documents
        .iter()
        .find(|d| d.path.ends_with("avv.md"))
        .expect("acme's agreement")
}

#[test]
fn waived_findings_stop_setting_the_light_and_are_listed_as_accepted() {
    let dir = folder(ALL_OF_ACME);
    let (json, stderr, code) = scan(&dir, "json", "2026-01-15");
    let output: Output = serde_json::from_str(&json).expect("strict JSON");
    let doc = acme(&output);
    assert_eq!(doc.ampel, "green", "every defect is accepted");
    let accepted: Vec<_> = doc.findings.iter().filter(|f| f.waiver.is_some()).collect();
    assert!(accepted.len() >= 6, "{:#?}", doc.findings);
    for f in &accepted {
        let w = f.waiver.as_ref().expect("waiver");
        assert_eq!(w.status, "accepted");
        assert_eq!(w.accepted_by, "DPO Jana Roth");
        assert_eq!(w.expires, "2027-06-30");
        assert!(w.source.starts_with("./ampel.toml:"), "{}", w.source);
    }
    let other = output
        .documents
        .iter()
        .find(|d| d.path.ends_with("other.md"))
        .expect("other");
    assert_eq!(other.ampel, "yellow", "the glob covers acme's folder only");
    assert!(other.findings.iter().all(|f| f.waiver.is_none()));
    assert_eq!(code, 1, "the other agreement is still yellow");
    assert!(output.waiver_notices.is_empty(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn an_expired_waiver_counts_again_with_a_warning() {
    let dir = folder(ALL_OF_ACME);
    let (json, stderr, _) = scan(&dir, "json", "2027-07-01");
    let output: Output = serde_json::from_str(&json).expect("strict JSON");
    let doc = acme(&output);
    assert_eq!(doc.ampel, "yellow");
    assert!(
        doc.findings
            .iter()
            .filter_map(|f| f.waiver.as_ref())
            .all(|w| w.status == "expired")
    );
    assert!(stderr.contains("expired on 2027-06-30"), "{stderr}");
    assert!(
        stderr.contains("ampel.toml:2"),
        "names file and line: {stderr}"
    );
    assert_eq!(output.waiver_notices.len(), 3);
    assert!(output.waiver_notices.iter().all(|n| n.kind == "expired"));
    // The last valid day still counts as valid.
    let (json, _, _) = scan(&dir, "json", "2027-06-30");
    let output: Output = serde_json::from_str(&json).expect("strict JSON");
    assert_eq!(acme(&output).ampel, "green");
}

#[test]
fn a_waiver_that_matches_nothing_is_reported() {
    let stale = format!(
        "{ALL_OF_ACME}\n[[waiver]]\nrule = \"own_purposes.ai-training\"\nsha256 = \"{}\"\nreason = \"old vendor\"\naccepted_by = \"DPO\"\nexpires = \"2030-01-01\"\n",
        "ab".repeat(32)
    );
    let dir = folder(&stale);
    let (json, stderr, _) = scan(&dir, "json", "2026-01-15");
    let output: Output = serde_json::from_str(&json).expect("strict JSON");
    assert_eq!(
        output.waiver_notices.len(),
        1,
        "{:?}",
        output.waiver_notices
    );
    let notice = &output.waiver_notices[0];
    assert_eq!(notice.kind, "unused");
    assert_eq!(notice.target, "rule own_purposes.ai-training");
    assert!(stderr.contains("matched no finding"), "{stderr}");
    for format in ["text", "markdown", "html", "sarif"] {
        let (out, _, _) = scan(&dir, format, "2026-01-15");
        // Markdown escapes the underscore.
        assert!(
            out.contains("own_purposes.ai-training") || out.contains("own\\_purposes.ai-training"),
            "{format} reports the unused waiver"
        );
    }
}

#[test]
fn every_format_lists_accepted_findings_with_their_reason() {
    let dir = folder(ALL_OF_ACME);
    let reason = "ISO 27001 accepted for this low-risk service";
    let (text, _, _) = scan(&dir, "text", "2026-01-15");
    assert!(
        text.contains("[ACCEPTED]") || text.contains("[AKZEPTIERT]"),
        "{text}"
    );
    assert!(text.contains(reason));
    assert!(text.contains("akzeptiert"), "checklist word: {text}");
    let (markdown, _, _) = scan(&dir, "markdown", "2026-01-15");
    assert!(markdown.contains("AKZEPTIERT"), "{markdown}");
    assert!(markdown.contains("Akzeptierte Abweichung: ISO 27001"));
    let (html, _, _) = scan(&dir, "html", "2026-01-15");
    assert!(html.contains(r#"<p class="waiver">Akzeptierte Abweichung: ISO 27001"#));
    let (csv, _, _) = scan(&dir, "csv", "2026-01-15");
    let header = csv.lines().next().expect("header");
    assert!(header.contains(",message,accepted,"), "{header}");
    let row = csv.lines().find(|l| l.contains("avv.md")).expect("row");
    assert!(
        row.contains(&format!("audits.certificates-instead ({reason})")),
        "{row}"
    );
    assert!(
        row.contains(",green,0,0,"),
        "accepted findings are not counted: {row}"
    );
    let (jsonl, _, _) = scan(&dir, "jsonl", "2026-01-15");
    let line = jsonl.lines().find(|l| l.contains("avv.md")).expect("line");
    let record: DocumentRecord = serde_json::from_str(line).expect("strict record");
    assert!(
        record
            .findings
            .iter()
            .any(|f| f.waiver.as_ref().is_some_and(|w| w.reason == reason))
    );
    let (sarif, _, _) = scan(&dir, "sarif", "2026-01-15");
    let sarif: serde_json::Value = serde_json::from_str(&sarif).expect("SARIF");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let suppressed: Vec<_> = results
        .iter()
        .filter(|r| r["suppressions"].is_array())
        .collect();
    assert!(suppressed.len() >= 6);
    for r in suppressed {
        let s = &r["suppressions"][0];
        assert_eq!(s["kind"], "external");
        assert_eq!(s["status"], "accepted");
        assert!(
            s["justification"]
                .as_str()
                .is_some_and(|j| j.contains("DPO Jana Roth"))
        );
    }
}

#[test]
fn waivers_by_sha256_from_the_command_line_and_output_stays_schema_valid() {
    let dir = folder("");
    let file = dir.path().join("other.md");
    let first = ampel()
        .args(["scan", "--format", "jsonl"])
        .arg(&file)
        .output()
        .expect("run");
    let record: DocumentRecord = serde_json::from_slice(&first.stdout).expect("record");
    let sha = record.sha256.expect("sha256");
    let waivers = dir.path().join("waivers.toml");
    std::fs::write(
        &waivers,
        format!(
            "[[waiver]]\nrequirement = \"subprocessors\"\nsha256 = \"{}\"\nreason = \"URL list accepted\"\naccepted_by = \"CISO\"\nexpires = \"2026-12-31\"\n",
            sha.to_uppercase()
        ),
    )
    .expect("write");
    let out = ampel()
        .args([
            "scan",
            "--format",
            "json",
            "--today",
            "2026-06-01",
            "--waivers",
        ])
        .arg(&waivers)
        .arg(&file)
        .output()
        .expect("run");
    assert_ok(&out);
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let schema = ampel().arg("schema").output().expect("run");
    let schema: serde_json::Value = serde_json::from_slice(&schema.stdout).expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let output: Output = serde_json::from_value(value).expect("strict");
    let waived: Vec<&str> = output.documents[0]
        .findings
        .iter()
        .filter(|f| f.waiver.is_some())
        .map(|f| f.requirement.as_str())
        .collect();
    assert!(!waived.is_empty() && waived.iter().all(|r| *r == "subprocessors"));
}

#[test]
fn bad_waiver_files_fail_with_file_and_line() {
    let table = [
        (
            "[[waiver]]\nrule = \"audits.nope\"\npath = \"*\"\nreason = \"r\"\naccepted_by = \"a\"\nexpires = \"2030-01-01\"\n",
            ":1: unknown rule `audits.nope`",
        ),
        (
            "\n[[waiver]]\nrequirement = \"audits\"\nrule = \"audits.annual-cap\"\npath = \"*\"\nreason = \"r\"\naccepted_by = \"a\"\nexpires = \"2030-01-01\"\n",
            ":2: a waiver names exactly one of `rule` or `requirement`",
        ),
        (
            "[[waiver]]\nrequirement = \"audits\"\nsha256 = \"9f2c\"\nreason = \"r\"\naccepted_by = \"a\"\nexpires = \"2030-01-01\"\n",
            "is not 64 hex digits",
        ),
        (
            "[[waiver]]\nrequirement = \"audits\"\npath = \"*\"\nreason = \"r\"\naccepted_by = \"a\"\nexpires = \"30.06.2027\"\n",
            "is no date",
        ),
        (
            "[[waiver]]\nrequirement = \"audits\"\npath = \"*\"\nreason = \"r\"\naccepted_by = \"a\"\nexpires = \"2030-01-01\"\ncolour = 1\n",
            ":7: unknown field `colour`",
        ),
        (
            "[[waiver]]\nrequirement = \"audits\"\npath = \"*\"\naccepted_by = \"a\"\nexpires = \"2030-01-01\"\n",
            "missing field `reason`",
        ),
    ];
    for (text, expected) in table {
        let dir = folder(text);
        let (_, stderr, code) = scan(&dir, "json", "2026-01-15");
        assert_eq!(code, 2, "{text}");
        assert!(stderr.contains("ampel.toml"), "{stderr}");
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    let dir = folder("");
    let out = ampel()
        .current_dir(dir.path())
        .args(["scan", "--today", "someday", "."])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}
