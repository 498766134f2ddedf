//! `--format html` on a real batch: self-contained and escaped as written, and as a browser
//! shows it. The browser tests run headless Chromium (Debian package `chromium`, installed
//! by `.ci/run`); without it they fail and say so.

mod support;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ampel::report::wire::Output;
use support::{Batch, ampel, fixture, rules_args};
use tempfile::TempDir;

/// The light class each document's row must carry, in input order.
fn expected_lights(json: &Output) -> Vec<String> {
    json.documents.iter().map(|d| d.ampel.clone()).collect()
}

/// The `data-ampel` of each overview row, in the order of the table.
fn overview_rows(dom: &str) -> Vec<(String, bool)> {
    let start = dom
        .find(r#"<table id="overview">"#)
        .expect("overview table");
    let table = &dom[start..start + dom[start..].find("</table>").expect("table end")];
    table
        .split("<tr data-ampel=\"")
        .skip(1)
        .map(|row| {
            let ampel = row[..row.find('"').unwrap()].to_string();
            let tag_end = row.find('>').unwrap();
            let hidden = row[..tag_end].contains("hidden");
            let light = format!(r#"class="light {ampel}""#);
            assert!(row.contains(&light), "row without its light: {row}");
            (ampel, hidden)
        })
        .collect()
}

#[test]
fn html_is_one_self_contained_escaped_page() {
    let batch = Batch::with_corpus();
    let json = batch.json(&[]);
    let (html, _) = batch.run("html", &[]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    for external in ["<link", "<img", "<iframe", "<object", "@import", "url("] {
        assert!(!html.contains(external), "external resource: {external}");
    }
    assert_eq!(html.matches("<script").count(), 1, "only the inline script");
    assert!(html.contains("<script>"), "inline, no src");
    assert!(
        html.contains("default-src 'none'"),
        "a CSP forbids network access"
    );
    assert!(html.contains("@media print"), "print CSS");
    let lights: Vec<String> = overview_rows(&html).into_iter().map(|(a, _)| a).collect();
    assert_eq!(
        lights,
        expected_lights(&json),
        "rows in input order, without JavaScript"
    );
    assert_eq!(
        html.matches(r#"<section class="document""#).count(),
        json.documents.len()
    );
    // Every quote, with its place, legal basis and recommendation.
    for doc in &json.documents {
        for f in &doc.findings {
            assert!(html.contains(&ampel::report::html::escape(&f.legal_basis)));
            assert!(html.contains(&ampel::report::html::escape(&f.recommendation)));
            for e in &f.evidence {
                assert!(
                    html.contains(&ampel::report::html::escape(&e.quote)),
                    "{}",
                    e.quote
                );
            }
        }
    }
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("red &lt;b&gt;&amp;&quot;&#39;vendor&#39;&quot;.txt"));
}

#[test]
fn html_follows_lang() {
    let out = ampel()
        .args(["scan", "--format", "html", "--lang", "de"])
        .args(rules_args())
        .arg(fixture("en-sample.pdf"))
        .output()
        .unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.contains(r#"<html lang="de">"#));
    assert!(
        html.contains("Übersicht") && html.contains("Checkliste") && html.contains("Empfehlung")
    );
    assert!(
        html.contains("GELB"),
        "en-sample is yellow with the test rules"
    );
}

/// Headless Chromium, or a failure that says how to get it.
fn chromium() -> PathBuf {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Some(path) = std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
        {
            return path;
        }
    }
    panic!(
        "headless Chromium is needed for the HTML browser tests and was not found on PATH; \
         install it with `apt-get install -y --no-install-recommends chromium` (.ci/run does)"
    );
}

/// Runs Chromium headless on `url` with `args`; returns stdout. Stopped after two minutes so a
/// wedged browser fails the test instead of hanging CI.
fn run_chromium(url: &str, args: &[&str]) -> String {
    let profile = TempDir::new().unwrap();
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        stdout.read_to_string(&mut out).map(|_| out)
    });
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium failed: {status}");
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish within two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().unwrap().expect("chromium output")
}

fn write_page(dir: &Path, html: &str) -> String {
    let path = dir.join("report.html");
    std::fs::write(&path, html).unwrap();
    format!("file://{}", path.display())
}

#[test]
fn chromium_shows_every_row_with_its_light_and_the_script_runs() {
    let batch = Batch::with_corpus();
    let json = batch.json(&[]);
    let (html, _) = batch.run("html", &[]);
    let dir = TempDir::new().unwrap();
    let url = write_page(dir.path(), &html);
    let dom = run_chromium(&url, &["--dump-dom"]);
    let rows = overview_rows(&dom);
    let lights: Vec<String> = rows.iter().map(|(a, _)| a.clone()).collect();
    assert_eq!(lights, expected_lights(&json));
    assert!(
        rows.iter().all(|(_, hidden)| !hidden),
        "nothing filtered by default"
    );
    assert!(
        dom.contains(r#"<div id="controls" class="controls">"#),
        "the script shows the filter controls"
    );
    let n = json.documents.len();
    assert!(dom.contains(&format!(
        r#"<span id="shown" aria-live="polite">{n} / {n}</span>"#
    )));
    assert_eq!(
        dom.matches("<th scope=\"col\" class=\"num\" data-key=")
            .count()
            + dom.matches("<th scope=\"col\" data-key=").count(),
        6
    );
    assert!(dom.contains("<button type=\"button\">"), "sortable headers");
}

#[test]
fn chromium_filters_and_sorts_from_the_address() {
    let batch = Batch::new();
    let json = batch.json(&[]);
    let (html, _) = batch.run("html", &[]);
    let dir = TempDir::new().unwrap();
    let url = write_page(dir.path(), &html);

    let dom = run_chromium(&format!("{url}#ampel=red,yellow"), &["--dump-dom"]);
    let rows = overview_rows(&dom);
    assert_eq!(rows.len(), json.documents.len());
    for (ampel, hidden) in &rows {
        let wanted = ampel == "red" || ampel == "yellow";
        assert_eq!(*hidden, !wanted, "{ampel}");
    }

    let dom = run_chromium(&format!("{url}#sort=-ampel"), &["--dump-dom"]);
    let order: Vec<String> = overview_rows(&dom).into_iter().map(|(a, _)| a).collect();
    let rank = |a: &str| {
        ["unknown", "green", "yellow", "red"]
            .iter()
            .position(|x| *x == a)
    };
    let mut sorted = order.clone();
    sorted.sort_by_key(|a| std::cmp::Reverse(rank(a)));
    assert_eq!(order, sorted, "worst first");
    assert_eq!(order.first().map(String::as_str), Some("red"));
}

#[test]
fn chromium_screenshot_is_not_blank_and_shows_the_lights() {
    let batch = Batch::new();
    let json = batch.json(&[]);
    let (html, _) = batch.run("html", &[]);
    let dir = TempDir::new().unwrap();
    let url = write_page(dir.path(), &html);
    let shot = dir.path().join("overview.png");
    run_chromium(
        &url,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1200,900",
        ],
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&shot).expect("a screenshot"),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    assert!(channels >= 3, "RGB screenshot");
    let pixels: Vec<[u8; 3]> = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    let non_white = pixels.iter().filter(|p| p.iter().any(|&c| c < 235)).count();
    assert!(
        non_white * 100 / pixels.len() >= 3,
        "the page is almost blank: {non_white} of {} pixels",
        pixels.len()
    );
    let distinct: std::collections::HashSet<[u8; 3]> = pixels.iter().copied().collect();
    assert!(distinct.len() > 50, "only {} colours", distinct.len());
    // The lights of the documents in the overview, in the colours of the style sheet.
    let colours = [
        ("red", [0xd3, 0x2f, 0x2f]),
        ("yellow", [0xf9, 0xa8, 0x25]),
        ("green", [0x2e, 0x7d, 0x32]),
    ];
    for (name, rgb) in colours {
        if !json.documents.iter().any(|d| d.ampel == name) {
            continue;
        }
        let near = pixels
            .iter()
            .filter(|p| p.iter().zip(rgb).all(|(&a, b)| a.abs_diff(b) <= 12))
            .count();
        assert!(
            near >= 40,
            "the {name} light is not visible ({near} pixels)"
        );
    }
}
