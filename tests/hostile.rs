//! Hostile and broken input through the real binary (and so through the extraction worker):
//! every file in `tests/hostile/` (made by `tests/hostile/make.sh`) in ONE batch, each with
//! the status of `tests/hostile/expected.toml`, with `pdftotext` and without it; the batch
//! survives aborts, hangs and memory bombs with one record per input. Also: the inputs of the
//! fuzz targets' regression folder with their pinned statuses, a file ampel may not read, and
//! that scanning never changes a file.
//!
//! `pdftotext` (Debian: poppler-utils) must be installed; `.ci/run` installs it.

#![cfg(unix)]

mod fuzz_regressions;

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
    #[serde(default)]
    warnings: Vec<String>,
    without_pdftotext: Option<Variant>,
}

/// What changes when `pdftotext` is not installed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Variant {
    status: String,
    extractor: Option<String>,
    #[serde(default)]
    pages: usize,
    message: Option<String>,
    #[serde(default)]
    warnings: Vec<String>,
}

fn hostile_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

fn ampel() -> Command {
    let mut cmd = Command::cargo_bin("ampel").expect("binary");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// The limits of every batch run here: short, so a hanging parser costs seconds. Messages in
/// English, as `expected.toml` quotes them (without `--lang` they follow each document).
const LIMITS: [&str; 10] = [
    "--jobs",
    "2",
    "--timeout",
    "5",
    "--max-memory",
    "512",
    "--max-size",
    "1000000",
    "--lang",
    "en",
];

/// Runs one batch in JSON Lines and returns the records in output order.
fn scan(args: &[String]) -> Vec<DocumentRecord> {
    let out = ampel()
        .args(["scan", "--format", "jsonl"])
        .args(args)
        .output()
        .expect("ampel runs");
    records(out)
}

/// The records of a successful batch.
fn records(out: std::process::Output) -> Vec<DocumentRecord> {
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

fn require_pdftotext() {
    assert!(
        ampel::extract::pdftotext_path().is_some(),
        "the hostile-input tests need pdftotext, ampel's fallback PDF extractor, which is not on \
         PATH: install it with `apt-get install -y --no-install-recommends poppler-utils` \
         (.ci/run does)"
    );
}

fn table() -> Table {
    let path = hostile_dir().join("expected.toml");
    let text = std::fs::read_to_string(&path).expect("tests/hostile/expected.toml");
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Compares the records of the table's files (in table order) with the table; `pdftotext`
/// says which expectation applies. Returns every difference.
fn differences(table: &Table, records: &[DocumentRecord], pdftotext: bool) -> Vec<String> {
    let dir = hostile_dir();
    let mut failures = Vec::new();
    for (expected, record) in table.file.iter().zip(records) {
        assert_eq!(record.path, dir.join(&expected.name).display().to_string());
        let (status, extractor, pages, message, warnings) =
            match (&expected.without_pdftotext, pdftotext) {
                (Some(v), false) => (&v.status, &v.extractor, v.pages, &v.message, &v.warnings),
                _ => (
                    &expected.status,
                    &expected.extractor,
                    expected.pages,
                    &expected.message,
                    &expected.warnings,
                ),
            };
        let kinds: Vec<&str> = record.warnings.iter().map(|w| w.kind.as_str()).collect();
        if kinds != *warnings {
            failures.push(format!(
                "{}: expected warnings {warnings:?}, got {kinds:?}",
                expected.name
            ));
        }
        let partial = record.warnings.iter().any(|w| w.partial);
        if record.partly_read != partial || (partial && record.status == "not_a_dpa") {
            failures.push(format!(
                "{}: partly read {} with warnings {kinds:?} and status {}",
                expected.name, record.partly_read, record.status
            ));
        }
        let got = (
            record.status.as_str(),
            record.extractor.as_deref(),
            record.pages,
        );
        let want = (status.as_str(), extractor.as_deref(), pages);
        if got != want {
            failures.push(format!(
                "{}: expected {want:?}, got {got:?}: {:?}",
                expected.name, record.message
            ));
        }
        let said = record.message.as_deref().unwrap_or("");
        if record.status != "ok" && said.len() < 20 {
            failures.push(format!("{}: no actionable message", expected.name));
        }
        if let Some(part) = message
            && !said.contains(part.as_str())
        {
            failures.push(format!(
                "{}: message should contain {part:?}: {said:?}",
                expected.name
            ));
        }
    }
    failures
}

fn table_files(table: &Table) -> Vec<String> {
    table
        .file
        .iter()
        .map(|f| hostile_dir().join(&f.name).display().to_string())
        .collect()
}

#[test]
#[cfg_attr(
    feature = "pdf-oxide",
    ignore = "expected.toml describes the default build; pdf_oxide recovers some damaged files"
)]
fn every_hostile_file_gets_its_status_in_one_batch() {
    require_pdftotext();
    let table = table();

    // Cases that cannot be committed: a file over --max-size, a symlink loop in a folder.
    let temp = TempDir::new().unwrap();
    let big = temp.path().join("too-large.pdf");
    std::fs::write(&big, vec![b'%'; 1_000_001]).unwrap();
    let folder = temp.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    std::os::unix::fs::symlink("..", folder.join("loop")).unwrap();
    std::fs::copy(hostile_dir().join("text.pdf"), folder.join("text.pdf")).unwrap();

    let mut args: Vec<String> = LIMITS.map(String::from).to_vec();
    let files = table_files(&table);
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
    let failures = differences(&table, &records, true);
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
    assert_eq!(by_name["text.pdf"].status, "not_a_dpa");
}

/// Without pdftotext (an empty PATH) pdf-extract and lopdf carry the batch alone: the
/// `without_pdftotext` expectations.
#[test]
#[cfg_attr(
    feature = "pdf-oxide",
    ignore = "expected.toml describes the default build; pdf_oxide recovers some damaged files"
)]
fn without_pdftotext_the_other_extractors_carry_the_batch() {
    let table = table();
    let files = table_files(&table);
    let empty = TempDir::new().unwrap();
    let out = ampel()
        .env("PATH", empty.path())
        .args(["scan", "--format", "jsonl"])
        .args(LIMITS)
        .args(&files)
        .output()
        .expect("ampel runs");
    let records = records(out);
    assert_eq!(records.len(), files.len());
    let failures = differences(&table, &records, false);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every status message and warning of the hostile batch follows `--lang de`: it reads as
/// German to ampel's own language detection (stop words), and none is left in English.
#[test]
fn messages_and_warnings_follow_lang_de() {
    require_pdftotext();
    let table = table();
    let mut args: Vec<String> = LIMITS[..8].iter().map(|s| s.to_string()).collect();
    args.extend(["--lang".to_string(), "de".to_string()]);
    args.extend(table_files(&table));
    let records = scan(&args);
    let mut texts = Vec::new();
    for r in &records {
        texts.extend(r.message.iter().map(|m| (r.path.clone(), m.clone())));
        texts.extend(
            r.warnings
                .iter()
                .map(|w| (r.path.clone(), w.message.clone())),
        );
    }
    assert!(
        texts.len() > records.len(),
        "the batch has messages and warnings"
    );
    let failures: Vec<String> = texts
        .iter()
        .filter(|(_, text)| {
            let folded = ampel::text::Text::from_snippet(text).flat.clone();
            let (de, en) = ampel::text::language_counts(&folded);
            de == 0 || en > de
        })
        .map(|(path, text)| format!("{path}: not German: {text}"))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A file ampel may not read is an `error` record that says so. Root reads any file whatever
/// its mode, so when the tests run as root (as CI does) the scan runs without the two
/// capabilities that let root override file permissions, and is held to the mode bits like
/// anyone else.
#[test]
fn an_unreadable_file_is_an_error_that_names_permissions() {
    let temp = TempDir::new().unwrap();
    let locked = temp.path().join("locked.pdf");
    std::fs::copy(hostile_dir().join("text.pdf"), &locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // A readable file beside it: a batch in which nothing could be read at all fails (exit 2).
    let readable = hostile_dir().join("text.pdf");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ampel"));
    cmd.args(["scan", "--format", "jsonl"])
        .arg(&locked)
        .arg(&readable);
    without_permission_override(&mut cmd);
    let records = records(cmd.output().expect("ampel runs"));
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].status, "not_a_dpa", "{:?}", records[1]);
    let message = records[0].message.as_deref().unwrap_or("");
    assert_eq!(records[0].status, "error", "{:?}", records[0]);
    assert!(message.starts_with("permission denied"), "{message}");
    assert!(message.contains("check its permissions"), "{message}");
}

/// Drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set of the child, so a
/// child run as root does not regain them at exec (its inheritable set is empty).
#[cfg(target_os = "linux")]
fn without_permission_override(cmd: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    const CAP_DAC_OVERRIDE: libc::c_ulong = 1;
    const CAP_DAC_READ_SEARCH: libc::c_ulong = 2;
    // SAFETY: the closure runs in the forked child before exec and calls only geteuid and
    // prctl, which are async-signal-safe; it allocates nothing.
    unsafe {
        cmd.pre_exec(|| {
            if libc::geteuid() != 0 {
                return Ok(());
            }
            for cap in [CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH] {
                if libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            Ok(())
        });
    }
}

/// Elsewhere only a user other than root can observe the case.
#[cfg(not(target_os = "linux"))]
fn without_permission_override(_cmd: &mut std::process::Command) {
    assert!(
        unsafe { libc::geteuid() } != 0,
        "run this test as a user other than root"
    );
}

#[test]
fn worker_is_hidden_from_help() {
    let out = ampel().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(!help.contains("__extract-worker"), "{help}");
    assert!(help.contains("scan"));
}

/// One extraction worker reads file after file (a process per file cost more than most
/// contracts): a page that panics, a damaged file and a form that draws itself each get their
/// answer and leave it answering the next; a file that aborts it (a decompression bomb at the
/// memory limit) ends it, and the parent starts a fresh one for the next file. The worker's
/// requests are `ENGINE LENGTH\n` and the PDF; its replies `LENGTH keep|retire\n` and JSON.
#[test]
fn one_worker_reads_file_after_file_until_one_aborts_it() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::Stdio;

    // The limit the parent sets (RLIMIT_AS), here through the shell.
    let mut worker = std::process::Command::new("sh")
        .args(["-c", "ulimit -v 262144 && exec \"$0\" __extract-worker"])
        .arg(env!("CARGO_BIN_EXE_ampel"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the worker starts");
    let mut stdin = worker.stdin.take().unwrap();
    let mut stdout = BufReader::new(worker.stdout.take().unwrap());
    let files = [
        ("no-mediabox.pdf", "\"failed\":1"),
        ("bit-flipped.pdf", "\"kind\":\"corrupt\""),
        ("text.pdf", "Lieferbedingungen"),
        ("self-recursive-xobject.pdf", "Lieferbedingungen"),
    ];
    for (name, answer) in files {
        let pdf = std::fs::read(hostile_dir().join(name)).unwrap();
        writeln!(stdin, "pdf-extract {}", pdf.len()).unwrap();
        stdin.write_all(&pdf).unwrap();
        stdin.flush().unwrap();
        let mut header = String::new();
        stdout.read_line(&mut header).unwrap();
        let (length, state) = header.trim_end().split_once(' ').expect(name);
        assert_eq!(state, "keep", "{name}");
        let mut json = vec![0; length.parse().unwrap()];
        stdout.read_exact(&mut json).unwrap();
        let json = String::from_utf8(json).unwrap();
        assert!(json.contains(answer), "{name}: {json}");
    }
    let pdf = std::fs::read(hostile_dir().join("decompression-bomb.pdf")).unwrap();
    writeln!(stdin, "pdf-extract {}", pdf.len()).unwrap();
    stdin.write_all(&pdf).unwrap();
    stdin.flush().unwrap();
    let mut rest = Vec::new();
    stdout.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty(), "no answer from an aborted worker");
    assert!(!worker.wait().unwrap().success());
}

/// `tests/regressions/fuzz/expected-extract.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FuzzTable {
    input: Vec<FuzzExpected>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FuzzExpected {
    name: String,
    #[allow(dead_code)]
    why: String,
    status: String,
    message: Option<String>,
}

/// The file name the `extract_scan` fuzz target gives an input: its first byte picks it.
fn fuzz_name(bytes: &[u8]) -> &'static str {
    match bytes.first().map(|b| b % 4) {
        Some(1) => "md",
        Some(2) => "txt",
        Some(3) => "bin",
        _ => "pdf",
    }
}

/// The extraction inputs of `tests/regressions/fuzz/` (seeds from ampel's history and inputs
/// that crashed, hung or exhausted memory in `cargo fuzz` runs), named as the fuzz target
/// names them, in one batch through the binary: each gets its pinned status, and every input
/// in the folder is pinned.
#[test]
fn fuzz_regressions_get_their_pinned_status() {
    let table: FuzzTable =
        fuzz_regressions::table("expected-extract.toml", "extract-", |t: &FuzzTable| {
            t.input.iter().map(|i| i.name.clone()).collect()
        });
    let dir = fuzz_regressions::dir();
    let temp = TempDir::new().unwrap();
    let mut files = Vec::new();
    for input in &table.input {
        let bytes = std::fs::read(dir.join(&input.name)).unwrap();
        let file = temp
            .path()
            .join(format!("{}.{}", input.name, fuzz_name(&bytes)));
        std::fs::write(&file, &bytes).unwrap();
        files.push(file.display().to_string());
    }
    let mut args: Vec<String> = LIMITS.map(String::from).to_vec();
    args.extend(files.iter().cloned());
    let records = scan(&args);
    assert_eq!(records.len(), files.len());
    let mut failures = Vec::new();
    for ((input, file), record) in table.input.iter().zip(&files).zip(&records) {
        assert_eq!(&record.path, file);
        let said = record.message.as_deref().unwrap_or("");
        if record.status != input.status {
            failures.push(format!(
                "{}: expected {}, got {}: {said:?}",
                input.name, input.status, record.status
            ));
        }
        if record.status != "ok" && said.len() < 20 {
            failures.push(format!("{}: no actionable message", input.name));
        }
        if let Some(part) = &input.message
            && !said.contains(part.as_str())
        {
            failures.push(format!(
                "{}: message should contain {part:?}: {said:?}",
                input.name
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
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
