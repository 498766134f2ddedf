//! `ampel serve` (part of the binary, like `followup.rs`): a local web page where someone who
//! never opens a terminal drops agreements and reads each one's light, checklist and quoted
//! findings in German or English, and takes home the JSON, the HTML report and the letter to
//! the vendor. It wires the library's analysis to HTTP and owns nothing of the pipeline.
//!
//! [`config`] turns the arguments into a plain configuration and decides who may use the
//! server (loopback, or anyone with the access token); [`http`] is the axum router with its
//! guard and limits; [`analysis`] runs one upload through the library with the extraction
//! settings of `ampel scan` and builds the answer; [`view`] is what the page shows of one
//! document in one language; [`page`] is the page, and [`words`] its words in both languages.

mod analysis;
mod analysts;
mod config;
mod http;
mod page;
mod view;
mod words;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::process::{Command, Stdio};
use std::sync::Arc;

use ampel::exit::ExitCode;
use ampel::rules::Pack;

use crate::cli::ServeArgs;
use crate::load;
use config::{Access, Config};

/// Stack of the analysis threads: as much as a main thread gets, more than the CLI's batch
/// threads have.
const STACK: usize = 8 * 1024 * 1024;

/// `ampel serve`: runs until Ctrl-C (or SIGTERM); exit 2 when it cannot start.
pub fn run(args: ServeArgs) -> ExitCode {
    let config = match Config::from_args(args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ampel serve: {e}");
            return ExitCode::Failure;
        }
    };
    let pack = match load(&config.rules) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("ampel serve: cannot start the server's threads: {e}");
            return ExitCode::Failure;
        }
    };
    match runtime.block_on(serve(config, pack.clone())) {
        Ok(()) => ExitCode::Success,
        Err(e) => {
            eprintln!("ampel serve: {e}");
            ExitCode::Failure
        }
    }
}

async fn serve(mut config: Config, pack: Pack) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| {
            format!(
                "cannot listen on {}: {e}; choose another port with --port (0 picks a free one)",
                config.addr
            )
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    // With --port 0 the port is known only now; the token's cookie is named after it.
    config.addr = addr;
    let url = announce(&config, addr);
    if config.open {
        open_in_browser(&url);
    }
    let app = http::App::new(config, pack, STACK)
        .map_err(|e| format!("cannot start the analysis threads: {e}"))?;
    let app = Arc::new(app);
    axum::serve(listener, http::router(app))
        .with_graceful_shutdown(stopped())
        .await
        .map_err(|e| format!("the server stopped: {e}"))?;
    eprintln!("ampel serve: stopped");
    Ok(())
}

/// Says where the server listens and who can reach it; prints the page's address on stdout
/// (with the token when one was generated) and returns it.
fn announce(config: &Config, addr: SocketAddr) -> String {
    let ip = addr.ip();
    // An unspecified address listens everywhere; on this machine it is reached on loopback.
    let shown = match ip {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        _ => ip,
    };
    let mut url = format!("http://{}/", SocketAddr::new(shown, addr.port()));
    if config.loopback() {
        eprintln!(
            "ampel serve: listening on {addr}, loopback only: only this computer can reach the page."
        );
    } else {
        eprintln!(
            "ampel serve: WARNING: listening on {addr}: other computers can reach this page. \
             Every request needs the access token. The connection is plain HTTP, not encrypted: \
             use it only in a network you trust, or behind an HTTPS proxy."
        );
        if ip.is_unspecified() {
            eprintln!(
                "ampel serve: from another computer, use this computer's name or address instead of {shown}."
            );
        }
    }
    match &config.access {
        Access::Token(token) if config.generated_token => {
            eprintln!("ampel serve: generated access token; open the address with it once:");
            url.push_str(&format!("?token={token}"));
        }
        Access::Token(_) => {
            eprintln!("ampel serve: open the address once with ?token=YOUR-TOKEN (the --token).")
        }
        Access::Loopback => {}
    }
    eprintln!(
        "ampel serve: uploads are analysed in memory and forgotten after the answer; \
         at most {} files at once, {} bytes each; Ctrl-C stops the server.",
        config.limits.max_files, config.limits.max_upload
    );
    println!("{url}");
    url
}

/// Opens `url` in the default browser, without waiting for it.
fn open_in_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    match command.spawn() {
        // Reaped on its own thread, so it leaves no zombie behind.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => eprintln!("ampel serve: cannot open a browser ({e}); open {url} yourself."),
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn stopped() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending().await,
            }
        };
        tokio::select! {
            () = interrupt => {}
            () = terminate => {}
        }
    }
    #[cfg(not(unix))]
    interrupt.await;
}
