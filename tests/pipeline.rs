//! ampel inside pipelines, with the real binary: path lists from other programs
//! (`--files-from`, `-0`), shards over several machines (`--shard K/N`), a reader that stops
//! early (`| head -1`) and a run stopped by a signal (no half-written `-o` file).

use std::io::Write;
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use ampel::report::wire::DocumentRecord;
use assert_cmd::Command;
use tempfile::TempDir;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn ampel() -> Command {
    let mut cmd = Command::cargo_bin("ampel").expect("binary");
    cmd.current_dir(root()).env("NO_COLOR", "1");
    cmd
}

/// The records of a JSON Lines run, parsed strictly.
fn records(stdout: &[u8]) -> Vec<DocumentRecord> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a strict record per line"))
        .collect()
}

fn scan_jsonl(args: &[&str], stdin: &[u8]) -> Vec<DocumentRecord> {
    let out = ampel()
        .args(["scan", "-q", "--format", "jsonl"])
        .args(args)
        .write_stdin(stdin.to_vec())
        .output()
        .expect("run");
    assert!(out.status.success(), "{out:?}");
    records(&out.stdout)
}

/// The corpus PDFs, as paths relative to the repository.
fn corpus_pdfs() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("corpus/pdf"))
        .unwrap()
        .map(|e| format!("corpus/pdf/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|p| p.ends_with(".pdf"))
        .collect();
    names.sort();
    names
}

#[test]
fn files_from_stdin_one_a_line_or_nul_separated_like_find_print0() {
    let pdfs = corpus_pdfs();
    let three = &pdfs[..3];
    let lines = format!("{}\n\n{}\r\n{}\n", three[0], three[1], three[2]);
    let by_line = scan_jsonl(&["--files-from", "-"], lines.as_bytes());
    let paths: Vec<&str> = by_line.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, three);

    let nul = three.join("\0") + "\0";
    let by_nul = scan_jsonl(&["--files-from", "-", "-0"], nul.as_bytes());
    assert_eq!(by_nul, by_line);

    // Real find output, piped as a pipeline would.
    let find = Process::new("find")
        .args(["corpus/pdf", "-name", "de-green-*.pdf", "-print0"])
        .current_dir(root())
        .output()
        .expect("find");
    let found = scan_jsonl(&["--files-from", "-", "-0"], &find.stdout);
    let expected = pdfs.iter().filter(|p| p.contains("/de-green-")).count();
    assert_eq!(found.len(), expected);
}

#[test]
fn files_from_a_file_adds_to_the_paths_given() {
    let temp = TempDir::new().unwrap();
    let list = temp.path().join("list.txt");
    let pdfs = corpus_pdfs();
    std::fs::write(&list, format!("{}\n", pdfs[1])).unwrap();
    let records = scan_jsonl(&[&pdfs[0], "--files-from", list.to_str().unwrap()], b"");
    let paths: Vec<&str> = records.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, [&pdfs[0], &pdfs[1]]);
}

#[test]
fn a_missing_list_or_a_bad_shard_is_a_usage_error() {
    let out = ampel()
        .args(["scan", "--files-from", "no/such/list.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/list.txt"));
    let out = ampel()
        .args(["scan", "--shard", "3/3", "corpus/pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 <= K < N"));
}

#[test]
fn three_shards_merged_and_sorted_by_path_equal_one_run() {
    // The four runs at once, as on four machines.
    let (whole, shards) = std::thread::scope(|scope| {
        let whole = scope.spawn(|| scan_jsonl(&["corpus/"], b""));
        let shards: Vec<_> = (0..3)
            .map(|k| {
                scope.spawn(move || scan_jsonl(&["--shard", &format!("{k}/3"), "corpus/"], b""))
            })
            .collect();
        let shards: Vec<Vec<DocumentRecord>> =
            shards.into_iter().map(|s| s.join().unwrap()).collect();
        (whole.join().unwrap(), shards)
    });
    assert!(whole.len() > 20, "the corpus has agreements");
    let sizes: Vec<usize> = shards.iter().map(Vec::len).collect();
    let mut merged: Vec<DocumentRecord> = shards.into_iter().flatten().collect();
    assert!(
        sizes.iter().all(|&n| n > 0),
        "every shard has work: {sizes:?}"
    );
    merged.sort_by(|a, b| a.path.cmp(&b.path));
    let mut whole_sorted = whole.clone();
    whole_sorted.sort_by(|a, b| a.path.cmp(&b.path));
    assert_eq!(merged, whole_sorted);
}

#[test]
fn a_closed_pipe_ends_quietly_and_early() {
    let mut child = Process::new(env!("CARGO_BIN_EXE_ampel"))
        .args(["scan", "--format", "jsonl", "--jobs", "1", "corpus/"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout); // as `head -c 1` does
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "nothing on stderr"
    );
}

/// A FIFO given as input blocks the run while the report's temporary file exists; the signal
/// arrives then.
#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_no_partial_report() {
    let temp = TempDir::new().unwrap();
    let fifo = temp.path().join("blocking.txt");
    let made = Process::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let out_dir = temp.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let report = out_dir.join("report.json");
    for signal in ["INT", "TERM"] {
        let mut child = Process::new(env!("CARGO_BIN_EXE_ampel"))
            .args(["scan", "-q", "--format", "json", "-o"])
            .arg(&report)
            .arg(&fifo)
            .current_dir(root())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while std::fs::read_dir(&out_dir).unwrap().count() == 0 {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "no temporary file"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // The handler is installed right after the temporary file is created.
        std::thread::sleep(Duration::from_millis(200));
        let killed = Process::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "SIG{signal}");
        let left: Vec<_> = std::fs::read_dir(&out_dir).unwrap().collect();
        assert!(left.is_empty(), "SIG{signal} left {left:?}");
    }
    // Unblock nothing: the FIFO never had a writer. A completed run still writes the report.
    let mut writer = Process::new(env!("CARGO_BIN_EXE_ampel"))
        .args(["scan", "-q", "--format", "json", "-o"])
        .arg(&report)
        .arg(&fifo)
        .current_dir(root())
        .spawn()
        .unwrap();
    let mut fifo_writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    fifo_writer.write_all(b"Minutes of a meeting.\n").unwrap();
    drop(fifo_writer);
    assert!(writer.wait().unwrap().success());
    assert!(report.exists());
}
