//! `ampel letter`: the real binary writes change requests for corpus agreements in German and
//! English, as Markdown and as DOCX; the DOCX is read back with ampel's own DOCX reader and
//! converted by LibreOffice (Debian package `libreoffice-writer`, installed by .ci/run).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use ampel::report::wire::DocumentRecord;
use ampel::rules::Pack;
use support::{ampel, assert_ok, corpus};
use tempfile::TempDir;

/// The agreement's colour-setting findings (rule ids, worst first) as `scan` reports them.
fn setting_findings(file: &str) -> (DocumentRecord, Vec<String>) {
    let out = ampel()
        .args(["scan", "--format", "jsonl", file])
        .output()
        .expect("run");
    let record: DocumentRecord = serde_json::from_slice(&out.stdout).expect("strict record");
    let rules = record
        .findings
        .iter()
        .filter(|f| f.severity != "info")
        .map(|f| f.rule.clone())
        .collect();
    (record, rules)
}

/// How many colour-setting red flags quote a sentence that an earlier red flag of the same
/// requirement also quotes: the letter asks about each such clause once.
fn merged(record: &DocumentRecord) -> usize {
    let flags: Vec<_> = record
        .findings
        .iter()
        .filter(|f| f.severity != "info" && f.kind == "red_flag")
        .collect();
    let sentences = |f: &ampel::report::wire::FindingRecord| -> Vec<(u32, usize)> {
        f.evidence.iter().map(|e| (e.page, e.start)).collect()
    };
    flags
        .iter()
        .enumerate()
        .filter(|(i, f)| {
            flags[..*i].iter().any(|g| {
                g.requirement == f.requirement
                    && sentences(g).iter().any(|s| sentences(f).contains(s))
            })
        })
        .count()
}

fn letter(args: &[&str]) -> String {
    let out = ampel().arg("letter").args(args).output().expect("run");
    assert_ok(&out);
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The suggested clause of a finding's rule (or of the requirement for `<req>.missing`).
fn clause<'p>(pack: &'p Pack, rule: &str, de: bool) -> &'p str {
    let text = match pack.rule(rule) {
        Some(r) => &r.suggested_clause,
        None => {
            let req = rule.strip_suffix(".missing").expect("a missing finding");
            &pack.requirements[pack.requirement_index(req).expect("requirement")].suggested_clause
        }
    };
    if de { &text.de } else { &text.en }
}

#[test]
fn german_letter_asks_for_every_colour_setting_finding_with_quote_basis_and_wording() {
    let file = corpus("pdf/de-yellow-personalportal.pdf");
    let (record, rules) = setting_findings(&file);
    assert!(rules.len() >= 4, "a yellow agreement with several defects");
    let text = letter(&[&file]);
    let pack = Pack::embedded().expect("pack");
    assert!(text.starts_with("# Änderungsverlangen zum Auftragsverarbeitungsvertrag"));
    assert_eq!(
        text.matches("\n## ").count(),
        rules.len() - merged(&record),
        "one section per finding that sets the light, two red flags of one requirement on one \
         sentence in one section:\n{text}"
    );
    for finding in record.findings.iter().filter(|f| f.severity != "info") {
        assert!(text.contains(&finding.title), "{}", finding.title);
        assert!(
            text.contains(&ampel::report::markdown::escape(clause(
                &pack,
                &finding.rule,
                true
            ))),
            "the wording for {} is proposed",
            finding.rule
        );
        for e in &finding.evidence {
            assert!(
                text.contains(&ampel::report::markdown::escape(&e.quote)),
                "quote of {}",
                finding.rule
            );
        }
    }
    for basis in ["Art. 28(3)(a), 29 DSGVO", "Art. 28(3)(h)"] {
        assert!(text.contains(basis), "{basis}");
    }
    assert!(
        text.contains("S. 2, § 3 Weisungsbefugnis"),
        "page and section"
    );
    assert!(text.contains("Formulierungsvorschlag (ersetzt die zitierte Regelung)"));
    assert!(text.contains("Mit freundlichen Grüßen"));
}

#[test]
fn english_letter_puts_red_findings_first_and_proposes_new_clauses_for_missing_ones() {
    let file = corpus("src/en-red-livechat.md");
    let text = letter(&["--lang", "en", &file]);
    assert!(text.starts_with("# Request for changes to the data processing agreement"));
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with("## ")).collect();
    let first_yellow = headings
        .iter()
        .position(|h| h.ends_with("(defect)"))
        .expect("yellow findings");
    let last_red = headings
        .iter()
        .rposition(|h| h.ends_with("(major defect)"))
        .expect("red findings");
    assert!(last_red < first_yellow, "red before yellow: {headings:#?}");
    // The deletion clause is missing: the letter says so and proposes a new provision.
    assert!(text.contains("The agreement contains no provision on this."));
    assert!(text.contains("Requested change – proposed wording (new provision)"));
    assert!(text.contains("at the choice of the controller, delete all personal data"));
    assert!(
        text.contains("2021/914"),
        "the transfer wording names the 2021 SCCs"
    );
}

#[test]
fn info_findings_and_accepted_deviations_are_left_out() {
    let file = corpus("src/de-yellow-personalportal.md");
    let (record, _) = setting_findings(&file);
    let sha = record.sha256.clone().expect("sha256");
    let dir = TempDir::new().expect("temp dir");
    let waivers = dir.path().join("waivers.toml");
    std::fs::write(
        &waivers,
        format!(
            "[[waiver]]\nrequirement = \"audits\"\nsha256 = \"{sha}\"\nreason = \"ISO 27001 accepted\"\naccepted_by = \"DPO\"\nexpires = \"2030-01-01\"\n"
        ),
    )
    .expect("write");
    let full = letter(&[&file]);
    let waived = letter(&["--waivers", &waivers.display().to_string(), &file]);
    let audit_titles: Vec<&str> = record
        .findings
        .iter()
        .filter(|f| f.requirement == "audits" && f.severity != "info")
        .map(|f| f.title.as_str())
        .collect();
    assert!(!audit_titles.is_empty());
    // Headings without their numbers: the waived letter drops exactly the audit sections.
    let titles = |letter: &str| -> Vec<String> {
        letter
            .lines()
            .filter_map(|l| l.strip_prefix("## "))
            .map(|h| h.split_once(' ').map_or(h, |(_, rest)| rest).to_string())
            .collect()
    };
    let (full_titles, waived_titles) = (titles(&full), titles(&waived));
    let dropped: Vec<&String> = full_titles
        .iter()
        .filter(|t| !waived_titles.contains(t))
        .collect();
    assert!(!dropped.is_empty(), "the audit sections are dropped");
    for t in &dropped {
        assert!(
            audit_titles.iter().any(|a| t.contains(a)),
            "only audit sections are dropped: {t}"
        );
    }
    assert_eq!(waived_titles.len() + dropped.len(), full_titles.len());
    assert!(
        !waived.contains("Zertifikat"),
        "the audit findings are gone"
    );
    for f in record.findings.iter().filter(|f| f.severity == "info") {
        assert!(
            !full.contains(&f.title),
            "info finding {} is not asked for",
            f.rule
        );
    }
}

fn docx_letter(dir: &Path, lang: &str) -> PathBuf {
    let out = dir.join(format!("letter-{lang}.docx"));
    let status = ampel()
        .args(["letter", "--format", "docx", "--lang", lang, "-o"])
        .arg(&out)
        .arg(corpus("src/de-yellow-personalportal.md"))
        .output()
        .expect("run");
    assert_ok(&status);
    out
}

#[test]
fn docx_letter_reads_back_with_ampels_docx_reader() {
    let dir = TempDir::new().expect("temp dir");
    let markdown = letter(&["--lang", "en", &corpus("src/de-yellow-personalportal.md")]);
    let path = docx_letter(dir.path(), "en");
    let bytes = std::fs::read(&path).expect("docx written");
    let (document, _) =
        ampel::extract::extract_checked(&path, &bytes, &ampel::extract::Settings::default())
            .expect("ampel reads its own DOCX");
    let text: String = document.pages.iter().map(|p| p.text.as_str()).collect();
    // The Heading styles come back as headings, and every requested change is in it.
    assert!(text.contains("# Request for changes to the data processing agreement"));
    let sections = markdown.matches("\n## ").count();
    assert_eq!(text.matches("\n## ").count(), sections, "{text}");
    assert!(text.contains("Requested change – proposed wording (replaces the quoted provision)"));
    assert!(text.contains("Die Konfiguration der Software stellt die vollständige Weisung"));
    // The same input gives the same bytes.
    let again = std::fs::read(docx_letter(dir.path(), "en")).expect("docx");
    assert!(again == bytes, "deterministic DOCX");
}

fn soffice() -> PathBuf {
    for name in ["soffice", "libreoffice", "lowriter"] {
        if let Ok(out) = Process::new("which").arg(name).output()
            && out.status.success()
        {
            return PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        }
    }
    panic!(
        "LibreOffice is needed for this test: install it with \
         `apt-get install -y --no-install-recommends libreoffice-writer` (.ci/run does)"
    );
}

#[test]
fn docx_letter_converts_with_libreoffice() {
    let dir = TempDir::new().expect("temp dir");
    let path = docx_letter(dir.path(), "de");
    let profile = dir.path().join("profile");
    let out = Process::new(soffice())
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&path)
        .env("HOME", dir.path())
        .output()
        .expect("start LibreOffice");
    assert_ok(&out);
    let text = std::fs::read_to_string(dir.path().join("letter-de.txt"))
        .expect("LibreOffice wrote the text");
    assert!(text.contains("Änderungsverlangen zum Auftragsverarbeitungsvertrag"));
    assert!(text.contains("Formulierungsvorschlag (ersetzt die zitierte Regelung)"));
    assert!(text.contains("Mit freundlichen Grüßen"));
}

#[test]
fn docx_needs_an_output_file_and_unreadable_input_fails() {
    let out = ampel()
        .args(["letter", "--format", "docx"])
        .arg(corpus("src/de-yellow-personalportal.md"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-o FILE.docx"));
    let out = ampel()
        .args(["letter", "no/such/file.pdf"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/file.pdf"));
}
