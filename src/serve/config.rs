//! The settings of `ampel serve`, turned from the command line into a plain struct before any
//! work starts: where to listen, who may use the page (loopback, or anyone with the access
//! token), the upload limits, and the extraction settings the CLI uses for `scan`.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use ampel::extract::{Limits, Settings};

use crate::cli::ServeArgs;
use crate::extraction_settings;

/// Characters allowed in an access token: URL-unreserved, so it goes into an address and a
/// cookie as it is.
fn token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')
}

/// Shortest access token accepted from `--token`.
pub const MIN_TOKEN: usize = 16;

/// Who may use the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Anyone who reaches it: only this machine, since it listens on loopback.
    Loopback,
    /// Whoever presents this token (in the address once, then as a cookie or bearer token).
    Token(String),
}

/// How much the server takes in at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadLimits {
    /// Largest file accepted, in bytes.
    pub max_upload: u64,
    /// Files accepted at once (reading, waiting or being analysed); more are turned away.
    pub max_files: usize,
    /// Analyses at once.
    pub jobs: usize,
    /// Bytes of uploads held in memory at once; an upload waits, unread, until its size fits.
    pub memory: u64,
}

/// Everything `ampel serve` needs to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen.
    pub addr: SocketAddr,
    /// Open the page in the default browser once listening.
    pub open: bool,
    /// Who may use it.
    pub access: Access,
    /// Whether the token was generated (and so must be printed).
    pub generated_token: bool,
    /// Upload limits.
    pub limits: UploadLimits,
    /// Extra rule folders.
    pub rules: Vec<PathBuf>,
    /// How files are extracted: the worker process and limits of `scan`.
    pub extraction: Settings,
}

impl Config {
    /// Checks the arguments and builds the configuration; the error says what to change.
    pub fn from_args(args: ServeArgs) -> Result<Config, String> {
        if !(args.timeout.is_finite() && args.timeout > 0.0) {
            return Err("--timeout must be a positive number of seconds".into());
        }
        if args.max_upload == 0 || args.max_files == 0 || args.jobs == Some(0) {
            return Err("--max-upload, --max-files and --jobs must be at least 1".into());
        }
        let (access, generated_token) = access(args.bind, args.token)?;
        let jobs = crate::batch::workers(args.jobs);
        let mut extraction = extraction_settings(Limits {
            timeout: Duration::from_secs_f64(args.timeout.min(1e6)),
            max_memory: (args.max_memory > 0).then(|| args.max_memory.saturating_mul(1024 * 1024)),
        });
        extraction.ocr = args.ocr;
        Ok(Config {
            addr: SocketAddr::new(args.bind, args.port),
            open: args.open,
            access,
            generated_token,
            limits: UploadLimits {
                max_upload: args.max_upload,
                max_files: args.max_files,
                jobs,
                // Enough for every analysis and two uploads arriving meanwhile at full size.
                memory: args.max_upload.saturating_mul(jobs as u64 + 2),
            },
            rules: args.rules,
            extraction,
        })
    }

    /// Whether only this machine can reach the server.
    pub fn loopback(&self) -> bool {
        self.addr.ip().is_loopback()
    }
}

/// Who may use a server on `bind`: a token given is always required; off loopback one is
/// required, and generated when none is given.
fn access(bind: IpAddr, token: Option<String>) -> Result<(Access, bool), String> {
    match token {
        Some(t) if t.chars().count() < MIN_TOKEN || !t.chars().all(token_char) => Err(format!(
            "--token must be at least {MIN_TOKEN} characters of letters, digits, '-', '_', '.' or '~'"
        )),
        Some(t) => Ok((Access::Token(t), false)),
        None if bind.is_loopback() => Ok((Access::Loopback, false)),
        None => generate_token().map(|t| (Access::Token(t), true)),
    }
}

/// 128 random bits from the operating system, as 32 hex digits.
fn generate_token() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| format!("cannot generate an access token ({e}); give one with --token"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_is_decided_by_address_and_token() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        let v6_loopback: IpAddr = "::1".parse().unwrap();
        let any: IpAddr = "0.0.0.0".parse().unwrap();
        let good = "0123456789abcdef-_.~".to_string();
        let table: [(IpAddr, Option<&str>, Result<bool, ()>); 7] = [
            // (bind, --token, Ok(token required) | Err)
            (loopback, None, Ok(false)),
            (v6_loopback, None, Ok(false)),
            (loopback, Some(&good), Ok(true)),
            (any, None, Ok(true)),
            (any, Some(&good), Ok(true)),
            (any, Some("short"), Err(())),
            (any, Some("0123456789abcdef 0123"), Err(())),
        ];
        for (bind, token, expected) in table {
            let got = access(bind, token.map(String::from))
                .map(|(a, _)| matches!(a, Access::Token(_)))
                .map_err(|_| ());
            assert_eq!(got, expected, "{bind} {token:?}");
        }
    }

    #[test]
    fn a_generated_token_is_long_random_and_flagged() {
        let any: IpAddr = "::".parse().unwrap();
        let (first, generated) = access(any, None).unwrap();
        let (second, _) = access(any, None).unwrap();
        assert!(generated);
        let Access::Token(t) = &first else {
            panic!("off loopback a token is required")
        };
        assert_eq!(t.len(), 32);
        assert!(t.chars().all(token_char));
        assert_ne!(first, second);
    }
}
