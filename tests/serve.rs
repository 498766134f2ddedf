//! `ampel serve`, the real binary on a free loopback port: in headless Chromium driven through
//! WebDriver (Debian packages `chromium` and `chromium-driver`, installed by `.ci/run`; without
//! them the browser test fails and says so), under a burst of uploads from many clients, and
//! against requests it must refuse.

mod support;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use ampel::report::wire::Output;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use support::{ampel, corpus, manifest_dir};
use tempfile::TempDir;

/// A running `ampel serve`, stopped when dropped. Its TMPDIR is a folder of its own, so a test
/// can check that nothing is left behind.
struct Server {
    child: Child,
    url: String,
    addr: SocketAddr,
    tmp: TempDir,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let tmp = TempDir::new().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_ampel"))
            .args(["serve", "--port", "0"])
            .args(args)
            .env("TMPDIR", tmp.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start ampel serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err = BufReader::new(child.stderr.take().unwrap());
        let log = stderr.clone();
        std::thread::spawn(move || {
            let mut line = String::new();
            while err.read_line(&mut line).is_ok_and(|n| n > 0) {
                log.lock().unwrap().push_str(&std::mem::take(&mut line));
            }
        });
        let (tx, rx) = mpsc::channel();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = out.read_line(&mut line);
            let _ = tx.send(line);
        });
        let url = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("ampel serve prints its address")
            .trim()
            .to_string();
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|_| panic!("an address: {url:?}"));
        Server {
            child,
            url,
            addr,
            tmp,
            stderr,
        }
    }

    /// The server's resident memory, in KiB, from /proc.
    fn rss_kib(pid: u32) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    /// Waits (a little) until the server has said `text` on stderr.
    fn said(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.stderr.lock().unwrap().contains(text) {
            assert!(
                Instant::now() < deadline,
                "ampel serve did not say {text:?}: {}",
                self.stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn leftovers(&self) -> Vec<PathBuf> {
        std::fs::read_dir(self.tmp.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A program on PATH, or a failure that says how to get it.
fn required(names: &[&str], package: &str, why: &str) -> PathBuf {
    let found = names.iter().find_map(|name| {
        std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    found.unwrap_or_else(|| {
        panic!(
            "{} is needed {why} and was not found on PATH; install it with \
             `apt-get install -y --no-install-recommends {package}` (.ci/run does)",
            names[0]
        )
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// chromedriver on a free loopback port, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start() -> Driver {
        let driver = required(
            &["chromedriver"],
            "chromium-driver",
            "for the `ampel serve` browser test (WebDriver)",
        );
        required(
            &["chromium", "chromium-browser"],
            "chromium",
            "for the `ampel serve` browser test",
        );
        let port = free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What `ampel scan --format json --lang LANG` says about `path`: the same analysis the page
/// shows.
fn scanned(path: &str, lang: &str) -> Value {
    let out = ampel()
        .args(["scan", "--format", "json", "--lang", lang, path])
        .output()
        .unwrap();
    let output: Output = serde_json::from_slice(&out.stdout).expect("scan JSON");
    serde_json::to_value(&output.documents[0]).unwrap()
}

async fn text(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap()
}

async fn wait_for(client: &Client, css: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(180))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("waited in vain for {css}: {e}"));
}

#[test]
fn in_a_browser_a_pdf_shows_its_light_and_findings_a_damaged_file_its_error_in_both_languages() {
    let pdf = corpus("pdf/de-yellow-personalportal.pdf");
    let damaged = manifest_dir()
        .join("tests/hostile/truncated-half.pdf")
        .display()
        .to_string();
    let (en, de, broken) = (
        scanned(&pdf, "en"),
        scanned(&pdf, "de"),
        scanned(&damaged, "en"),
    );
    assert_eq!(en["status"], "ok");
    assert_ne!(broken["status"], "ok");
    let server = Server::start(&[]);
    let driver = Driver::start();
    let profile = TempDir::new().unwrap();
    let downloads = TempDir::new().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--hide-scrollbars", "--lang=en-US",
                    format!("--user-data-dir={}", profile.path().display()),
                    "--window-size=1200,1400",
                ],
                "prefs": {
                    "download.default_directory": downloads.path().display().to_string(),
                    "download.prompt_for_download": false,
                },
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .expect("a WebDriver session with headless Chromium");
        client.goto(&server.url).await.unwrap();
        assert_eq!(
            text(&client, "h1").await,
            "Check data-processing agreements"
        );

        // A corpus PDF: its light and its findings with their quotes.
        let input = client.find(Locator::Css("#files")).await.unwrap();
        input.send_keys(&pdf).await.unwrap();
        wait_for(&client, "#doc-1[data-state='done']").await;
        let card = client.find(Locator::Css("#doc-1")).await.unwrap();
        assert_eq!(
            card.attr("data-ampel").await.unwrap(),
            en["ampel"].as_str().map(String::from)
        );
        assert_eq!(text(&client, "#doc-1 .verdict").await, "YELLOW");
        assert_eq!(
            text(&client, "#doc-1 .name").await,
            "de-yellow-personalportal.pdf"
        );
        let finding = &en["findings"][0];
        let first = text(&client, "#doc-1 article.finding h4").await;
        assert!(
            first.contains(finding["title"].as_str().unwrap()),
            "{first}"
        );
        let quotes = text(&client, "#doc-1 article.finding blockquote").await;
        assert!(
            quotes.contains(finding["evidence"][0]["quote"].as_str().unwrap()),
            "{quotes}"
        );
        let rows = client
            .find_all(Locator::Css("#doc-1 table.checklist tbody tr"))
            .await
            .unwrap();
        assert_eq!(rows.len(), en["checklist"].as_array().unwrap().len());
        let offers: BTreeSet<String> = download_offers(&client, "#doc-1 button.download").await;
        assert_eq!(
            offers,
            ["html", "json", "letter-docx", "letter-md"]
                .map(String::from)
                .into()
        );

        // A damaged file: its error message.
        input.send_keys(&damaged).await.unwrap();
        wait_for(&client, "#doc-2[data-state='done']").await;
        let problem = text(&client, "#doc-2 .problem").await;
        assert!(
            problem.contains("Damaged file") || broken["status"] != "corrupt",
            "{problem}"
        );
        assert!(
            problem.contains(broken["message"].as_str().unwrap()),
            "{problem}"
        );
        let offers = download_offers(&client, "#doc-2 button.download").await;
        assert_eq!(
            offers,
            ["html", "json"].map(String::from).into(),
            "no letter"
        );

        // The JSON download is `ampel scan --format json` of the file.
        client
            .find(Locator::Css("#doc-1 button[data-download='json']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let saved = downloads.path().join("de-yellow-personalportal.ampel.json");
        let deadline = Instant::now() + Duration::from_secs(30);
        while !saved.is_file() {
            assert!(
                Instant::now() < deadline,
                "the JSON download did not arrive"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let json: Output = serde_json::from_slice(&std::fs::read(&saved).unwrap()).unwrap();
        assert_eq!(
            serde_json::to_value(&json.documents[0]).unwrap()["findings"],
            en["findings"]
        );

        // German: the page, the light and the findings.
        client
            .find(Locator::Css("#lang-de"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        assert_eq!(
            text(&client, "h1").await,
            "Auftragsverarbeitungsverträge prüfen"
        );
        let html = client.find(Locator::Css("html")).await.unwrap();
        assert_eq!(html.attr("lang").await.unwrap().as_deref(), Some("de"));
        assert_eq!(text(&client, "#doc-1 .verdict").await, "GELB");
        let first = text(&client, "#doc-1 article.finding h4").await;
        assert!(
            first.contains(de["findings"][0]["title"].as_str().unwrap()),
            "{first}"
        );
        assert!(
            text(&client, "#doc-2 .problem")
                .await
                .contains("Beschädigte Datei")
                || broken["status"] != "corrupt"
        );
        assert!(text(&client, "#summary").await.starts_with("2 Dokumente"));

        if let Some(path) = std::env::var_os("AMPEL_SERVE_SCREENSHOT") {
            client
                .find(Locator::Css("#lang-en"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            client.set_window_size(1200, 1500).await.unwrap();
            std::fs::write(path, client.screenshot().await.unwrap()).unwrap();
        }
        client.close().await.unwrap();
    });
    assert!(server.leftovers().is_empty(), "{:?}", server.leftovers());
}

/// The `data-download` of every element matching `css`.
async fn download_offers(client: &Client, css: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for e in client.find_all(Locator::Css(css)).await.unwrap() {
        if let Some(v) = e.attr("data-download").await.unwrap() {
            out.insert(v);
        }
    }
    out
}

/// Every upload of the load test: corpus agreements as Markdown and PDF, and broken files.
fn upload_set() -> Vec<(String, Vec<u8>)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(manifest_dir().join("corpus/src"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    for pdf in [
        "de-red-kitaapp.pdf",
        "en-green-payrollhub.pdf",
        "bi-yellow-messenger.pdf",
    ] {
        paths.push(manifest_dir().join("corpus/pdf").join(pdf));
    }
    for broken in ["truncated-half.pdf", "not-a-pdf.pdf", "empty.pdf"] {
        paths.push(manifest_dir().join("tests/hostile").join(broken));
    }
    paths
        .iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(p).unwrap())
        })
        .collect()
}

/// The answer to one upload: HTTP status, and the answer's name, status and light.
fn upload(agent: &ureq::Agent, url: &str, name: &str, bytes: &[u8]) -> (u16, Value) {
    let mut response = agent
        .post(format!("{url}api/analyse?name={name}"))
        .header("Content-Type", "application/octet-stream")
        .send(bytes)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().unwrap();
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

#[test]
fn two_hundred_uploads_from_twenty_clients_are_all_answered_in_bounded_memory() {
    const CLIENTS: usize = 20;
    const PER_CLIENT: usize = 10;
    /// What the server may grow by under the burst, once every analysis thread has seen the
    /// files: the uploads and answers in flight, never a share per upload. (Each analysis
    /// thread keeps matching caches of a few hundred MiB in a debug build, as `scan -j` does;
    /// there are `--jobs` of them however many files arrive.)
    const GROWTH_KIB: u64 = 320 * 1024;
    const JOBS: usize = 2;
    const TIME: Duration = Duration::from_secs(600);
    let server = Server::start(&["--jobs", &JOBS.to_string()]);
    let files = Arc::new(upload_set());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(300)))
        .build()
        .into();
    let pid = server.child.id();
    // Every file once first, from as many clients as there are analysis threads, so the
    // baseline includes what the threads keep between analyses.
    let warm_up: Vec<_> = (0..JOBS)
        .map(|client| {
            let (agent, url, files) = (agent.clone(), server.url.clone(), files.clone());
            std::thread::spawn(move || {
                for (file, bytes) in files.iter().skip(client).step_by(JOBS) {
                    assert_eq!(upload(&agent, &url, file, bytes).0, 200, "{file}");
                }
            })
        })
        .collect();
    for w in warm_up {
        w.join().expect("a warm-up client");
    }
    let baseline = Server::rss_kib(pid);
    let peak = Arc::new(AtomicU64::new(baseline));
    let finished = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, finished) = (peak.clone(), finished.clone());
        std::thread::spawn(move || {
            while !finished.load(Ordering::Relaxed) {
                peak.fetch_max(Server::rss_kib(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };
    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (agent, url, files) = (agent.clone(), server.url.clone(), files.clone());
            std::thread::spawn(move || {
                (0..PER_CLIENT)
                    .map(|i| {
                        let n = client * PER_CLIENT + i;
                        let (file, bytes) = &files[n % files.len()];
                        // A name of its own, so an answer given to the wrong request shows.
                        let name = format!("{n:03}-{file}");
                        let (status, answer) = upload(&agent, &url, &name, bytes);
                        (file.clone(), name, status, answer)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let results: Vec<_> = clients
        .into_iter()
        .flat_map(|c| c.join().expect("a client thread"))
        .collect();
    let elapsed = started.elapsed();
    finished.store(true, Ordering::Relaxed);
    sampler.join().unwrap();

    assert_eq!(results.len(), CLIENTS * PER_CLIENT);
    let mut outcomes: std::collections::BTreeMap<&str, BTreeSet<(String, String)>> =
        Default::default();
    for (file, name, status, answer) in &results {
        assert_eq!(*status, 200, "{name}: {answer}");
        assert_eq!(answer["name"], name.as_str(), "the answer to {name}");
        let outcome = (
            answer["status"].as_str().unwrap().to_string(),
            answer["ampel"].as_str().unwrap().to_string(),
        );
        outcomes.entry(file).or_default().insert(outcome);
    }
    for (file, seen) in &outcomes {
        assert_eq!(seen.len(), 1, "{file} was answered differently: {seen:?}");
    }
    assert!(
        outcomes["truncated-half.pdf"]
            .iter()
            .all(|(s, a)| s != "ok" && a == "unknown")
    );
    assert!(elapsed < TIME, "took {elapsed:?}");
    let grown = peak.load(Ordering::Relaxed).saturating_sub(baseline);
    eprintln!(
        "{} uploads in {elapsed:?}; memory {} MiB, at most {} MiB more under the burst",
        results.len(),
        baseline / 1024,
        grown / 1024
    );
    assert!(grown < GROWTH_KIB, "grew by {} MiB", grown / 1024);
    assert!(server.leftovers().is_empty(), "{:?}", server.leftovers());
    assert_eq!(
        upload(&agent, &server.url, "after.md", &files[0].1).0,
        200,
        "still serving"
    );
}

/// Sends `request` as it is and reads the whole answer: (status, head, body). For requests a
/// well-behaved client would not send.
fn raw(addr: SocketAddr, request: &str, body: &[u8]) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    // The server may answer (and close) before taking a body it refuses.
    let _ = stream.write_all(body);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {answer:?}"));
    (status, head.to_ascii_lowercase(), body.to_string())
}

fn post(addr: SocketAddr, extra: &str, body: &[u8]) -> (u16, String, String) {
    let request = format!(
        "POST /api/analyse?name=a.md HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    );
    raw(addr, &request, body)
}

#[test]
fn refusals_say_why_in_both_languages() {
    let token = "0123456789abcdef0123";
    let server = Server::start(&[
        "--max-upload",
        "2000",
        "--max-files",
        "1",
        "--jobs",
        "1",
        "--token",
        token,
    ]);
    let addr = server.addr;
    let bearer = format!("Authorization: Bearer {token}\r\n");
    let get = |path: &str, extra: &str| {
        raw(
            addr,
            &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}Connection: close\r\n\r\n"),
            b"",
        )
    };
    server.said("loopback only");

    // Without the token nothing is served, and the refusal says how to get in.
    let (status, _, body) = get("/", "");
    assert_eq!(status, 401);
    assert!(
        body.contains("access token") && body.contains("Zugangstoken"),
        "{body}"
    );
    let (status, _, body) = post(addr, "", b"text");
    assert_eq!(status, 401);
    let error: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error["error"]["code"], "token");

    // The address with the token once: a cookie, and the address without the token.
    let (status, head, _) = get(&format!("/?token={token}"), "");
    assert_eq!(status, 303);
    assert!(head.contains("location: /\r\n"), "{head}");
    let cookie = format!("ampel-token-{}={token}", addr.port());
    assert!(
        head.contains(&format!("set-cookie: {cookie}; httponly; samesite=strict")),
        "{head}"
    );
    let (status, head, body) = get("/", &format!("Cookie: {cookie}\r\n"));
    assert_eq!(status, 200);
    assert!(
        head.contains("content-security-policy: default-src 'none'; style-src 'sha256-"),
        "{head}"
    );
    assert!(
        head.contains("connect-src 'self'") && !head.contains("unsafe"),
        "{head}"
    );
    assert!(body.starts_with("<!DOCTYPE html>"));

    // Too large, whether the size is declared or not.
    let big = vec![b'x'; 3000];
    let (status, _, body) = post(addr, &bearer, &big);
    assert_eq!(status, 413, "{body}");
    let error: Value = serde_json::from_str(&body).unwrap();
    let said = |lang: &str| error["error"][lang].as_str().unwrap().to_string();
    assert!(said("en").contains("larger than 2000 bytes"), "{body}");
    assert!(said("de").contains("größer als 2000 Bytes"), "{body}");
    let chunked = format!(
        "POST /api/analyse HTTP/1.1\r\nHost: {addr}\r\n{bearer}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    let body = [
        format!("{:x}\r\n", big.len()).as_bytes(),
        &big,
        b"\r\n0\r\n\r\n",
    ]
    .concat();
    assert_eq!(raw(addr, &chunked, &body).0, 413);

    // Another site, or another host name (DNS rebinding), is refused.
    let (status, _, _) = post(
        addr,
        &format!("{bearer}Origin: http://evil.example\r\n"),
        b"x",
    );
    assert_eq!(status, 403);
    let rebound = format!(
        "POST /api/analyse HTTP/1.1\r\nHost: evil.example:{}\r\n{bearer}Content-Length: 1\r\nConnection: close\r\n\r\n",
        addr.port()
    );
    assert_eq!(raw(addr, &rebound, b"x").0, 421);

    // One file too many: while a slow upload holds the only place, the next is turned away.
    // The slow upload and the probe race for the place: when the probe wins, the slow upload is
    // the one turned away (it has an answer waiting), and it is sent again.
    let hold = || {
        let mut slow = TcpStream::connect(addr).unwrap();
        write!(
            slow,
            "POST /api/analyse HTTP/1.1\r\nHost: {addr}\r\n{bearer}Content-Length: 1000\r\n\r\nstart"
        )
        .unwrap();
        slow.set_nonblocking(true).unwrap();
        slow
    };
    let answered = |slow: &TcpStream| {
        let mut byte = [0u8; 1];
        !matches!(slow.peek(&mut byte), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
    };
    let mut slow = hold();
    let until = |wanted: u16, mut slow: Option<&mut TcpStream>| {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let (status, head, body) = post(addr, &bearer, support::YELLOW_DE.as_bytes());
            if status == wanted {
                return (head, body);
            }
            assert!(
                Instant::now() < deadline,
                "never {wanted}; last {status}: {body}"
            );
            if let Some(slow) = slow.as_mut().filter(|s| answered(s)) {
                **slow = hold();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let (head, body) = until(503, Some(&mut slow));
    assert!(head.contains("retry-after: "), "{head}");
    let error: Value = serde_json::from_str(&body).unwrap();
    assert!(
        error["error"]["en"]
            .as_str()
            .unwrap()
            .contains("--max-files"),
        "{body}"
    );
    drop(slow);
    let (_, body) = until(200, None);
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["name"], "a.md");
    assert!(server.leftovers().is_empty());
}
