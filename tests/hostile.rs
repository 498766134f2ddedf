//! Hostile and broken input through the real binary (and so through the extraction worker):
//! every file in `tests/hostile/` (made by `tests/hostile/make.sh`) in ONE batch, each with
//! the status of `tests/hostile/expected.toml`; the batch survives aborts, hangs and memory
//! bombs with one record per input. Also: inputs from fuzzing, and that scanning never
//! changes a file.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use ampel::report::wire::DocumentRecord;
use assert_cmd::Command;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tempfile::TempDir;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    file: Vec<Expected>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    name: String,
    #[allow(dead_code)]
    why: String,
    status: String,
    extractor: Option<String>,
    #[serde(default)]
    pages: usize,
    message: Option<String>,
    without_pdftotext: Option<Variant>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Variant {
    status: String,
    extractor: Option<String>,
}

fn hostile_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

fn ampel() -> Command {
    let mut cmd = Command::cargo_bin("ampel").expect("binary");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Runs one batch in JSON Lines and returns the records in output order.
fn scan(args: &[String]) -> Vec<DocumentRecord> {
    let out = ampel()
        .args(["scan", "--format", "jsonl"])
        .args(args)
        .output()
        .expect("ampel runs");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        out.status.code().is_some_and(|c| c == 0),
        "the batch itself must succeed: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("strict record: {e}\n{l}")))
        .collect()
}

fn pdftotext_installed() -> bool {
    ampel::extract::pdftotext_path().is_some()
}

#[test]
#[cfg_attr(
    feature = "pdf-oxide",
    ignore = "expected.toml describes the default build; pdf_oxide recovers some damaged files"
)]
fn every_hostile_file_gets_its_status_in_one_batch() {
    let dir = hostile_dir();
    let table: Table =
        toml::from_str(&std::fs::read_to_string(dir.join("expected.toml")).unwrap()).unwrap();

    // Cases that cannot be committed: a file over --max-size, an unreadable file, a symlink
    // loop in a folder.
    let temp = TempDir::new().unwrap();
    let big = temp.path().join("too-large.pdf");
    std::fs::write(&big, vec![b'%'; 1_000_001]).unwrap();
    let folder = temp.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    std::os::unix::fs::symlink("..", folder.join("loop")).unwrap();
    let locked = folder.join("locked.pdf");
    std::fs::copy(dir.join("text.pdf"), &locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads anything: then the permission case cannot be observed.
    let can_lock = std::fs::read(&locked).is_err();

    let mut args: Vec<String> = [
        "--jobs",
        "2",
        "--timeout",
        "5",
        "--max-memory",
        "512",
        "--max-size",
        "1000000",
    ]
    .map(String::from)
    .to_vec();
    let files: Vec<String> = table
        .file
        .iter()
        .map(|f| dir.join(&f.name).display().to_string())
        .collect();
    args.extend(files.iter().cloned());
    args.push(big.display().to_string());
    args.push(folder.display().to_string());
    let records = scan(&args);

    // One record per input: every named file, and the folder's file and its loop.
    assert_eq!(
        records.len(),
        files.len() + 3,
        "{:#?}",
        records.iter().map(|r| &r.path).collect::<Vec<_>>()
    );
    let pdftotext = pdftotext_installed();
    let mut failures = Vec::new();
    for (expected, record) in table.file.iter().zip(&records) {
        assert_eq!(record.path, dir.join(&expected.name).display().to_string());
        let (status, extractor) = match (&expected.without_pdftotext, pdftotext) {
            (Some(v), false) => (&v.status, v.extractor.as_ref()),
            _ => (&expected.status, expected.extractor.as_ref()),
        };
        let got = (
            record.status.as_str(),
            record.extractor.as_deref(),
            record.pages,
        );
        let want = (
            status.as_str(),
            extractor.map(String::as_str),
            expected.pages,
        );
        // Without pdftotext the page count of a variant is not pinned.
        let pages_ok = expected.without_pdftotext.is_some() && !pdftotext || got.2 == want.2;
        if got.0 != want.0 || got.1 != want.1 || !pages_ok {
            failures.push(format!(
                "{}: expected {want:?}, got {got:?}: {:?}",
                expected.name, record.message
            ));
        }
        if record.status != "ok" {
            let message = record.message.as_deref().unwrap_or("");
            if message.len() < 20 {
                failures.push(format!("{}: no actionable message", expected.name));
            }
        }
        if let Some(part) = &expected.message
            && (expected.without_pdftotext.is_none() || pdftotext)
            && !record
                .message
                .as_deref()
                .unwrap_or("")
                .contains(part.as_str())
        {
            failures.push(format!(
                "{}: message should contain {part:?}: {:?}",
                expected.name, record.message
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let rest = &records[files.len()..];
    assert_eq!(rest[0].status, "too_large", "{:?}", rest[0]);
    assert!(rest[0].message.as_deref().unwrap().contains("--max-size"));
    let by_name: BTreeMap<&str, &DocumentRecord> = rest[1..]
        .iter()
        .map(|r| {
            let name = Path::new(&r.path).file_name().unwrap().to_str().unwrap();
            (name, r)
        })
        .collect();
    let looped = by_name["loop"];
    assert_eq!(looped.status, "error");
    assert!(looped.message.as_deref().unwrap().contains("symlink loop"));
    let locked = by_name["locked.pdf"];
    if can_lock {
        assert_eq!(locked.status, "error");
        assert!(locked.message.as_deref().unwrap().contains("permission"));
    } else {
        assert_eq!(locked.status, "not_a_dpa", "{locked:?}");
    }
}

#[test]
fn worker_is_hidden_from_help() {
    let out = ampel().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(!help.contains("__extract-worker"), "{help}");
    assert!(help.contains("scan"));
}

/// Inputs that crashed, hung or exhausted memory in `cargo fuzz` runs (`tests/fuzz/`): each
/// gets a record through the binary.
#[test]
fn fuzz_regressions_each_get_a_record() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions/fuzz");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with("extract-"))
                })
                .map(|p| p.display().to_string())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    if files.is_empty() {
        return;
    }
    let mut args: Vec<String> = ["--jobs", "2", "--timeout", "3", "--max-memory", "512"]
        .map(String::from)
        .to_vec();
    args.extend(files.iter().cloned());
    let records = scan(&args);
    assert_eq!(records.len(), files.len());
    for (file, record) in files.iter().zip(&records) {
        assert_eq!(&record.path, file);
        assert!(
            record.status == "ok" || record.message.as_deref().is_some_and(|m| m.len() > 10),
            "{record:?}"
        );
    }
}

#[derive(Debug, PartialEq)]
struct Fingerprint {
    sha256: String,
    len: u64,
    modified: SystemTime,
    mode: u32,
}

fn fingerprints(root: &Path) -> BTreeMap<PathBuf, Fingerprint> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().unwrap();
            let bytes = std::fs::read(e.path()).unwrap();
            let print = Fingerprint {
                sha256: Sha256::digest(&bytes)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect(),
                len: meta.len(),
                modified: meta.modified().unwrap(),
                mode: meta.permissions().mode(),
            };
            (e.path().to_path_buf(), print)
        })
        .collect()
}

/// ampel reads; it never writes, moves, renames or re-permissions what it scans, and leaves no
/// files behind next to them.
#[test]
fn scanning_changes_no_file() {
    let temp = TempDir::new().unwrap();
    for entry in std::fs::read_dir(hostile_dir()).unwrap().flatten() {
        std::fs::copy(entry.path(), temp.path().join(entry.file_name())).unwrap();
    }
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/samples");
    std::fs::create_dir(temp.path().join("samples")).unwrap();
    for name in ["de-enscript.pdf", "en-chromium.pdf", "bi-groff.pdf"] {
        std::fs::copy(samples.join(name), temp.path().join("samples").join(name)).unwrap();
    }
    std::fs::set_permissions(
        temp.path().join("text.pdf"),
        std::fs::Permissions::from_mode(0o444),
    )
    .unwrap();
    let before = fingerprints(temp.path());
    assert!(before.len() > 20);
    let records = scan(&[
        "--timeout".into(),
        "2".into(),
        "--max-memory".into(),
        "512".into(),
        temp.path().display().to_string(),
    ]);
    assert!(records.len() > 20);
    assert_eq!(fingerprints(temp.path()), before);
}

#[test]
fn limits_must_be_sensible() {
    let text = hostile_dir().join("text.pdf");
    for bad in ["0", "-1", "NaN", "inf"] {
        let out = ampel()
            .args(["scan", "--timeout", bad])
            .arg(&text)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--timeout {bad}");
        assert!(out.stdout.is_empty());
    }
}
