//! The HTTP side of `ampel serve`, on axum and tokio: `GET /` is the page, `POST /api/analyse`
//! takes one file as the request body (its name in `?name=`) and answers with
//! [`super::analysis::Answer`] as JSON. Everything else is 404.
//!
//! Every request passes the guard first: the Host must name this machine when listening on
//! loopback (so a web site cannot reach the server through DNS rebinding), a request that
//! changes something must come from the page itself (Origin, Sec-Fetch-Site), and with a token
//! the request must carry it. Then the limits, each with a message in German and English: at
//! most `max_files` uploads at once (more are turned away with 503, and the page sends them
//! again), none over `max_upload` bytes (413), uploads read into memory only while their bytes
//! fit the memory budget (else they wait, unread), and at most `jobs` analyses at once, on the
//! [`Analysts`] threads, so the server keeps answering meanwhile.

use std::sync::Arc;
use std::time::Duration;

use ampel::rules::Pack;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::Deserialize;
use tokio::sync::Semaphore;

use super::analysis::{self, Upload};
use super::analysts::Analysts;
use super::config::{Access, Config};
use super::page;

/// Longest time an upload may take to arrive.
const UPLOAD_TIME: Duration = Duration::from_secs(120);

/// Seconds a client turned away for being one too many should wait.
const RETRY_AFTER: &str = "2";

/// The server's state: its configuration, the rule pack, the page, and the limits.
pub struct App {
    config: Config,
    pack: Pack,
    page: String,
    csp: String,
    /// Uploads accepted at once (reading, waiting or analysed).
    files: Arc<Semaphore>,
    /// The memory budget for uploads, in KiB.
    memory: Arc<Semaphore>,
    /// The threads that analyse, `jobs` of them.
    analysts: Analysts,
    /// The budget's size, in KiB.
    memory_kib: u32,
}

impl App {
    /// The state of a server with `config` and `pack`; starts the analysis threads, each with
    /// `stack` bytes of stack.
    pub fn new(config: Config, pack: Pack, stack: usize) -> std::io::Result<App> {
        let limits = config.limits;
        let memory_kib = kib(limits.memory).min(u32::MAX as u64 / 2) as u32;
        Ok(App {
            page: page::html(&limits),
            csp: page::csp(),
            files: Arc::new(Semaphore::new(limits.max_files.min(Semaphore::MAX_PERMITS))),
            memory: Arc::new(Semaphore::new(memory_kib as usize)),
            analysts: Analysts::start(limits.jobs, stack)?,
            memory_kib,
            config,
            pack,
        })
    }
}

fn kib(bytes: u64) -> u64 {
    bytes.div_ceil(1024).max(1)
}

/// The routes, behind the guard and the security headers.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/api/analyse", post(analyse))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .layer(middleware::from_fn(security_headers))
        .with_state(app)
}

/// A refusal, said in both languages.
#[derive(Debug)]
struct Problem {
    status: StatusCode,
    code: &'static str,
    de: String,
    en: String,
}

impl Problem {
    fn new(status: StatusCode, code: &'static str, de: String, en: String) -> Problem {
        Problem {
            status,
            code,
            de,
            en,
        }
    }

    /// As JSON for the page's requests, as text for a browser's address bar.
    fn into_response(self, json: bool) -> Response {
        if json {
            let body = serde_json::json!({
                "error": { "code": self.code, "de": self.de, "en": self.en }
            });
            let mut response = (self.status, body.to_string()).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        } else {
            let text = format!("ampel: {}\n\nampel: {}\n", self.en, self.de);
            (self.status, text).into_response()
        }
    }
}

/// A size in MiB when it is one or more, else in bytes; `bytes` is the word for them.
fn size(n: u64, bytes: &str) -> String {
    const MIB: u64 = 1024 * 1024;
    match n {
        n if n >= MIB && n % MIB == 0 => format!("{} MiB", n / MIB),
        n if n >= MIB => format!("{:.1} MiB", n as f64 / MIB as f64),
        n => format!("{n} {bytes}"),
    }
}

fn too_large(max: u64) -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        format!(
            "Die Datei ist größer als {}, die Grenze dieses Servers (ampel serve --max-upload).",
            size(max, "Bytes")
        ),
        format!(
            "The file is larger than {}, the limit of this server (ampel serve --max-upload).",
            size(max, "bytes")
        ),
    )
}

fn busy(files: usize) -> Problem {
    Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "busy",
        format!(
            "ampel nimmt schon {files} Dateien an, so viele wie auf einmal (ampel serve --max-files): diese bitte gleich noch einmal senden."
        ),
        format!(
            "ampel is already taking {files} files, as many as it takes at once (ampel serve --max-files): send this one again in a moment."
        ),
    )
}

/// Whether `host` (a Host header) names this machine: `localhost`, a loopback address, or the
/// address the server listens on.
fn names_this_machine(host: &str, config: &Config) -> bool {
    let name = if host.starts_with('[') {
        match host.find(']') {
            Some(end) => &host[..=end],
            None => return false,
        }
    } else {
        host.rsplit_once(':')
            .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
            .map_or(host, |(name, _)| name)
    };
    let name = name.to_ascii_lowercase();
    let address = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(&name);
    name == "localhost"
        || address
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback() || ip == config.addr.ip())
}

/// The token a request carries: as a bearer token, in the cookie the page got, or (only on
/// the page's address) as `?token=`.
fn presented_token<'a>(headers: &'a HeaderMap, uri: &'a Uri, cookie: &str) -> Option<&'a str> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let from_cookie = || {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == cookie)
            .map(|(_, value)| value)
    };
    bearer.or_else(from_cookie).or_else(|| query_token(uri))
}

fn query_token(uri: &Uri) -> Option<&str> {
    if uri.path() != "/" {
        return None;
    }
    uri.query()?
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
}

/// Compares without stopping at the first difference, so the time taken says nothing about
/// how much of a guess was right.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The name of the cookie that carries the token: one per port, so two servers on one machine
/// do not take each other's.
fn cookie_name(config: &Config) -> String {
    format!("ampel-token-{}", config.addr.port())
}

/// Why a request may not pass, if it may not.
fn refusal(config: &Config, method: &Method, headers: &HeaderMap, uri: &Uri) -> Option<Problem> {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    if config.loopback() && !host.is_some_and(|h| names_this_machine(h, config)) {
        return Some(Problem::new(
            StatusCode::MISDIRECTED_REQUEST,
            "host",
            "Dieser ampel-Server antwortet nur unter localhost, 127.0.0.1 oder [::1].".into(),
            "This ampel server answers only as localhost, 127.0.0.1 or [::1].".into(),
        ));
    }
    if *method != Method::GET && *method != Method::HEAD {
        let fetched_from = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        let own_origin = host.map(|h| format!("http://{h}"));
        let foreign = matches!(fetched_from, Some("cross-site" | "same-site"))
            || origin.is_some_and(|o| Some(o) != own_origin.as_deref());
        if foreign {
            return Some(Problem::new(
                StatusCode::FORBIDDEN,
                "origin",
                "Nur die Seite von ampel serve selbst darf Dateien senden.".into(),
                "Only the page of ampel serve itself may send files.".into(),
            ));
        }
    }
    if let Access::Token(token) = &config.access {
        let presented = presented_token(headers, uri, &cookie_name(config));
        if !presented.is_some_and(|p| same(p, token)) {
            return Some(Problem::new(
                StatusCode::UNAUTHORIZED,
                "token",
                "Dieser ampel-Server braucht sein Zugangstoken: die Adresse öffnen, die ampel serve beim Start ausgegeben hat (…/?token=…).".into(),
                "This ampel server needs its access token: open the address ampel serve printed on start (…/?token=…).".into(),
            ));
        }
    }
    None
}

async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    match refusal(
        &app.config,
        request.method(),
        request.headers(),
        request.uri(),
    ) {
        Some(problem) => problem.into_response(request.uri().path().starts_with("/api/")),
        None => next.run(request).await,
    }
}

/// Headers on every answer: nothing is cached, sniffed, framed or told where it came from.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    }
    response
}

/// The page; with `?token=` (already checked by the guard) the token goes into a cookie and
/// the address loses it, so it stays out of the history and the address bar.
async fn page(State(app): State<Arc<App>>, uri: Uri) -> Response {
    if let (Access::Token(token), Some(_)) = (&app.config.access, query_token(&uri)) {
        let cookie = format!(
            "{}={token}; HttpOnly; SameSite=Strict; Path=/",
            cookie_name(&app.config)
        );
        let mut response = (StatusCode::SEE_OTHER, "").into_response();
        let h = response.headers_mut();
        h.insert(header::LOCATION, HeaderValue::from_static("/"));
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            h.insert(header::SET_COOKIE, value);
        }
        return response;
    }
    let mut response = (StatusCode::OK, app.page.clone()).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(csp) = HeaderValue::from_str(&app.csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
}

async fn not_found(uri: Uri) -> Response {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "Diese Adresse gibt es hier nicht.".into(),
        "There is nothing at this address.".into(),
    )
    .into_response(uri.path().starts_with("/api/"))
}

/// The query of an upload.
#[derive(Debug, Deserialize)]
struct UploadQuery {
    /// The file's name on the client (shown only).
    name: Option<String>,
}

async fn analyse(
    State(app): State<Arc<App>>,
    query: Result<Query<UploadQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let limits = app.config.limits;
    // Taken before anything is read, and held until the answer is built.
    let Ok(_file) = app.files.clone().try_acquire_owned() else {
        let mut response = busy(limits.max_files).into_response(true);
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER));
        return response;
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.max_upload) {
        return too_large(limits.max_upload).into_response(true);
    }
    let wanted = kib(declared.unwrap_or(limits.max_upload)).min(u64::from(app.memory_kib)) as u32;
    let Ok(_memory) = app.memory.clone().acquire_many_owned(wanted).await else {
        return internal().into_response(true);
    };
    let bytes = match receive(body, limits.max_upload).await {
        Ok(bytes) => bytes,
        Err(problem) => return problem.into_response(true),
    };
    let upload = Upload::named(query.ok().and_then(|Query(q)| q.name).as_deref());
    let worker = app.clone();
    let answer = app
        .analysts
        .run(move || {
            let answer = analysis::answer(&upload, &bytes, &worker.pack, &worker.config.extraction);
            serde_json::to_vec(&answer)
        })
        .await;
    match answer {
        Ok(Ok(json)) => {
            let mut response = (StatusCode::OK, json).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        // A panic in the analysis costs this file, not the server.
        _ => internal().into_response(true),
    }
}

/// The request body, within the size and time limits.
async fn receive(body: Body, max: u64) -> Result<Bytes, Problem> {
    let limit = usize::try_from(max).unwrap_or(usize::MAX);
    match tokio::time::timeout(UPLOAD_TIME, Limited::new(body, limit).collect()).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => Err(too_large(max)),
        Ok(Err(_)) => Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "upload",
            "Die Übertragung brach ab, bevor die ganze Datei ankam.".into(),
            "The upload broke off before the whole file arrived.".into(),
        )),
        Err(_) => Err(Problem::new(
            StatusCode::REQUEST_TIMEOUT,
            "slow",
            format!(
                "Die Übertragung dauerte länger als {} Sekunden und wurde abgebrochen.",
                UPLOAD_TIME.as_secs()
            ),
            format!(
                "The upload took longer than {} seconds and was stopped.",
                UPLOAD_TIME.as_secs()
            ),
        )),
    }
}

fn internal() -> Problem {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "ampel ist bei dieser Datei gescheitert; die Einzelheiten stehen in der Ausgabe von ampel serve. Bitte melden.".into(),
        "ampel failed on this file; ampel serve printed the details. Please report it.".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::config::UploadLimits;

    fn config(bind: &str, access: Access) -> Config {
        Config {
            addr: format!("{bind}:8080").parse().unwrap(),
            open: false,
            access,
            generated_token: false,
            limits: UploadLimits {
                max_upload: 1024,
                max_files: 2,
                jobs: 1,
                memory: 3072,
            },
            rules: Vec::new(),
            extraction: Default::default(),
        }
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(*name, HeaderValue::from_str(value).unwrap());
        }
        h
    }

    /// Request headers as (name, value) pairs.
    type Pairs<'a> = Vec<(&'static str, &'a str)>;

    #[test]
    fn on_loopback_only_names_of_this_machine_pass() {
        let c = config("127.0.0.1", Access::Loopback);
        let table = [
            ("localhost:8080", true),
            ("LOCALHOST", true),
            ("127.0.0.1:8080", true),
            ("127.0.0.2", true),
            ("[::1]:8080", true),
            ("evil.example:8080", false),
            ("localhost.evil.example", false),
            ("10.0.0.1:8080", false),
            ("[::1", false),
        ];
        for (host, passes) in table {
            assert_eq!(names_this_machine(host, &c), passes, "{host}");
        }
        let uri: Uri = "/".parse().unwrap();
        let problem = refusal(&c, &Method::GET, &HeaderMap::new(), &uri);
        assert_eq!(problem.map(|p| p.code), Some("host"), "no Host at all");
    }

    #[test]
    fn only_the_page_itself_may_post() {
        let c = config("127.0.0.1", Access::Loopback);
        let uri: Uri = "/api/analyse".parse().unwrap();
        let table: [(Pairs, Option<&str>); 6] = [
            (vec![("host", "127.0.0.1:8080")], None),
            (
                vec![
                    ("host", "127.0.0.1:8080"),
                    ("origin", "http://127.0.0.1:8080"),
                ],
                None,
            ),
            (
                vec![
                    ("host", "127.0.0.1:8080"),
                    ("sec-fetch-site", "same-origin"),
                ],
                None,
            ),
            (
                vec![
                    ("host", "127.0.0.1:8080"),
                    ("origin", "http://evil.example"),
                ],
                Some("origin"),
            ),
            (
                vec![("host", "127.0.0.1:8080"), ("origin", "null")],
                Some("origin"),
            ),
            (
                vec![("host", "127.0.0.1:8080"), ("sec-fetch-site", "cross-site")],
                Some("origin"),
            ),
        ];
        for (pairs, expected) in table {
            let got = refusal(&c, &Method::POST, &headers(&pairs), &uri).map(|p| p.code);
            assert_eq!(got, expected, "{pairs:?}");
        }
    }

    #[test]
    fn with_a_token_every_request_must_carry_it() {
        let token = "0123456789abcdef0123";
        let c = config("0.0.0.0", Access::Token(token.into()));
        let page: Uri = "/".parse().unwrap();
        let api: Uri = "/api/analyse".parse().unwrap();
        let with_token: Uri = format!("/?token={token}").parse().unwrap();
        let api_with_token: Uri = format!("/api/analyse?token={token}").parse().unwrap();
        let host = ("host", "192.168.1.5:8080");
        let bearer = format!("Bearer {token}");
        let cookie = format!("other=1; ampel-token-8080={token}");
        let wrong = "Bearer 0123456789abcdef0124".to_string();
        let table: [(&Uri, Pairs, bool); 7] = [
            (&page, vec![host], false),
            (&with_token, vec![host], true),
            (&api_with_token, vec![host], false),
            (&api, vec![host, ("authorization", &bearer)], true),
            (&api, vec![host, ("cookie", &cookie)], true),
            (&api, vec![host, ("authorization", &wrong)], false),
            (
                &api,
                vec![host, ("cookie", "ampel-token-9090=0123456789abcdef0123")],
                false,
            ),
        ];
        for (uri, pairs, passes) in table {
            let got = refusal(&c, &Method::GET, &headers(&pairs), uri);
            assert_eq!(got.is_none(), passes, "{uri} {pairs:?}");
        }
    }

    #[test]
    fn sizes_read_as_people_count() {
        assert_eq!(size(2000, "bytes"), "2000 bytes");
        assert_eq!(size(20 * 1024 * 1024, "bytes"), "20 MiB");
        assert_eq!(size(1536 * 1024, "Bytes"), "1.5 MiB");
    }

    #[test]
    fn tokens_are_compared_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
        assert!(!same("", "a"));
    }
}
