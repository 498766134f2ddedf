//! `ampel diff`: the real binary compares corpus agreements with their second versions
//! (`corpus/src/*-v2.md`: some defects fixed, one new one), in German and English, across
//! formats (PDF against Markdown), as text, Markdown and JSON; exit code 1 when anything got
//! worse. The JSON parses strictly into the wire types and validates against the committed
//! schema.

mod support;

use ampel::report::diff::{DiffOutput, RequirementRecord};
use support::{ampel, corpus, manifest_dir};
use tempfile::TempDir;

/// `ampel diff --format json OLD NEW` plus `extra`: the parsed output and the exit code.
fn diff_json(old: &str, new: &str, extra: &[&str]) -> (DiffOutput, i32) {
    let out = ampel()
        .args(["diff", "--format", "json"])
        .args(extra)
        .args([old, new])
        .output()
        .expect("run");
    let code = out.status.code().expect("exit code");
    assert!(
        code == 0 || code == 1,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: DiffOutput = serde_json::from_slice(&out.stdout).expect("strict diff JSON");
    (json, code)
}

fn requirement<'a>(diff: &'a DiffOutput, id: &str) -> &'a RequirementRecord {
    diff.requirements
        .iter()
        .find(|r| r.requirement == id)
        .unwrap_or_else(|| panic!("{id} compared"))
}

fn rules(list: &[ampel::report::wire::FindingRecord]) -> Vec<&str> {
    list.iter().map(|f| f.rule.as_str()).collect()
}

#[test]
fn german_second_version_fixes_instructions_and_audits_but_breach_notice_gets_worse() {
    // Old as PDF, new as Markdown: pages and offsets differ, the content decides.
    let (diff, code) = diff_json(
        &corpus("pdf/de-yellow-personalportal.pdf"),
        &corpus("src/de-yellow-personalportal-v2.md"),
        &[],
    );
    assert_eq!(code, 1, "a new defect: exit 1");
    assert!(diff.worse);
    assert_eq!(
        (diff.old.ampel.as_str(), diff.new.ampel.as_str()),
        ("yellow", "yellow")
    );
    let table = [
        ("instructions", "better", "flagged", "present"),
        ("audits", "better", "flagged", "present"),
        ("breach_notification", "worse", "present", "flagged"),
        ("contract_changes", "unchanged", "flagged", "flagged"),
        ("deletion_return", "unchanged", "present", "present"),
    ];
    for (id, change, before, after) in table {
        let r = requirement(&diff, id);
        assert_eq!(r.change, change, "{id}");
        assert_eq!(
            (r.before.status.as_str(), r.after.status.as_str()),
            (before, after),
            "{id}"
        );
    }
    assert_eq!(
        rules(&diff.added),
        ["breach_notification.deadline-over-72h"]
    );
    let removed = rules(&diff.removed);
    for rule in [
        "instructions.restricted-scope",
        "instructions.fees-for-instructions",
        "instructions.refusal-at-discretion",
        "audits.certificates-instead",
        "audits.onsite-excluded",
    ] {
        assert!(removed.contains(&rule), "{rule} removed: {removed:?}");
    }
    assert!(rules(&diff.unchanged).contains(&"contract_changes.unilateral-amendment"));
    // The changed clause text of a changed requirement: the old wording and the new.
    let instructions = requirement(&diff, "instructions");
    assert!(instructions.clauses.iter().any(|c| {
        c.before
            .as_ref()
            .is_some_and(|e| e.quote.contains("vollständige Weisung"))
    }));
    let breach = requirement(&diff, "breach_notification");
    assert!(breach.clauses.iter().any(|c| {
        c.after
            .as_ref()
            .is_some_and(|e| e.quote.contains("96 Stunden"))
    }));
    // Unchanged requirements carry no clause changes.
    assert!(requirement(&diff, "deletion_return").clauses.is_empty());
}

#[test]
fn english_second_version_turns_red_to_yellow_and_still_fails_on_the_new_amendment_clause() {
    let (diff, code) = diff_json(
        &corpus("src/en-red-livechat.md"),
        &corpus("src/en-red-livechat-v2.md"),
        &["--lang", "en"],
    );
    assert_eq!(
        (diff.old.ampel.as_str(), diff.new.ampel.as_str()),
        ("red", "yellow")
    );
    assert_eq!(code, 1, "the light is better, but a requirement is worse");
    for (id, change) in [
        ("transfer_mechanism", "better"),
        ("deletion_return", "better"),
        ("contract_changes", "worse"),
        ("processing_details", "unchanged"),
    ] {
        assert_eq!(requirement(&diff, id).change, change, "{id}");
    }
    // The new clause 11.4 both lets the vendor modify the addendum by posting and counts
    // continued use as acceptance: two findings.
    assert_eq!(
        rules(&diff.added),
        [
            "contract_changes.continued-use-acceptance",
            "contract_changes.unilateral-amendment"
        ]
    );
    let removed = rules(&diff.removed);
    for rule in [
        "transfer_mechanism.invalid-tool",
        "transfer_mechanism.consent-derogation",
        "deletion_return.missing",
    ] {
        assert!(removed.contains(&rule), "{rule}: {removed:?}");
    }
    assert!(rules(&diff.unchanged).contains(&"processing_details.vague-description"));
}

#[test]
fn the_same_agreement_in_two_formats_is_unchanged_and_exits_0() {
    for name in ["de-yellow-personalportal", "en-red-livechat"] {
        let (diff, code) = diff_json(
            &corpus(&format!("pdf/{name}.pdf")),
            &corpus(&format!("src/{name}.md")),
            &[],
        );
        assert_eq!(code, 0, "{name}");
        assert!(!diff.worse);
        assert!(diff.added.is_empty() && diff.removed.is_empty(), "{name}");
        assert!(diff.requirements.iter().all(|r| r.change == "unchanged"));
    }
}

#[test]
fn an_accepted_new_deviation_does_not_fail_the_check() {
    let dir = TempDir::new().expect("temp dir");
    let waivers = dir.path().join("waivers.toml");
    std::fs::write(
        &waivers,
        format!(
            "[[waiver]]\nrule = \"breach_notification.deadline-over-72h\"\npath = \"{}\"\nreason = \"96 hours agreed for this vendor\"\naccepted_by = \"DPO\"\nexpires = \"2030-12-31\"\n",
            corpus("src/de-yellow-personalportal-v2.md")
        ),
    )
    .expect("write");
    let (diff, code) = diff_json(
        &corpus("src/de-yellow-personalportal.md"),
        &corpus("src/de-yellow-personalportal-v2.md"),
        &[
            "--waivers",
            &waivers.display().to_string(),
            "--today",
            "2026-01-01",
        ],
    );
    assert_eq!(code, 0, "nothing worse that was not accepted");
    assert_eq!(
        requirement(&diff, "breach_notification").change,
        "unchanged"
    );
    let added = &diff.added[0];
    assert_eq!(added.rule, "breach_notification.deadline-over-72h");
    assert_eq!(
        added.waiver.as_ref().map(|w| w.status.as_str()),
        Some("accepted")
    );
}

#[test]
fn text_and_markdown_show_the_lights_changes_and_clauses() {
    let args = [
        corpus("src/de-yellow-personalportal.md"),
        corpus("src/de-yellow-personalportal-v2.md"),
    ];
    let text = ampel().arg("diff").args(&args).output().expect("run");
    assert_eq!(text.status.code(), Some(1));
    let text = String::from_utf8(text.stdout).expect("utf-8");
    assert!(text.contains("Ampel: GELB → GELB"), "{text}");
    assert!(text.contains("▼ schlechter"), "{text}");
    assert!(text.contains("▲ besser"), "{text}");
    assert!(text.contains("+ S. "), "new clause text: {text}");
    assert!(text.contains("Die neue Fassung ist in mindestens einem Punkt schlechter."));
    let md = ampel()
        .args(["diff", "--format", "markdown", "--lang", "en"])
        .args(&args)
        .output()
        .expect("run");
    let md = String::from_utf8(md.stdout).expect("utf-8");
    assert!(md.starts_with("# Comparison of two versions"));
    assert!(md.contains("| ▼ worse | "), "{md}");
    assert!(md.contains("```diff\n- "), "{md}");
    assert!(md.contains("## Added findings"));
}

fn schema() -> serde_json::Value {
    let out = ampel()
        .args(["schema", "--format", "diff"])
        .output()
        .expect("run");
    serde_json::from_slice(&out.stdout).expect("schema JSON")
}

#[test]
fn diff_json_validates_against_the_published_schema_and_the_file_is_current() {
    let schema = schema();
    let path = manifest_dir().join("src/report/ampel-diff-v1.schema.json");
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default())
            .unwrap_or_default();
    assert!(
        committed == schema,
        "{} is stale: run `cargo run -- schema --format diff > src/report/ampel-diff-v1.schema.json`",
        path.display()
    );
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let out = ampel()
        .args(["diff", "--format", "json"])
        .args([
            corpus("src/en-red-livechat.md"),
            corpus("src/en-red-livechat-v2.md"),
        ])
        .output()
        .expect("run");
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn a_file_that_cannot_be_analysed_fails_with_2() {
    let out = ampel()
        .args(["diff", "no/such/old.pdf"])
        .arg(corpus("src/en-red-livechat.md"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/old.pdf"));
}
