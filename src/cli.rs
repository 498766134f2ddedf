//! Command-line arguments (clap derive types only).

use std::path::PathBuf;

use ampel::pipeline::Shard;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Rates data-processing agreements (DPA / AVV) red, yellow or green under Art. 28 GDPR.
#[derive(Debug, Parser)]
#[command(name = "ampel", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rate agreements: files and folders (recursive, sorted).
    Scan(ScanArgs),
    /// Write a change request to the vendor for one agreement: every finding that sets the
    /// light, worst first, with the clause, what is wrong, the legal basis and proposed
    /// contract wording (Markdown on stdout, or DOCX with --format docx -o FILE).
    Letter(LetterArgs),
    /// Compare two versions of one vendor's agreement: per requirement better, worse or
    /// unchanged, findings added and removed, the light before and after, the changed clause
    /// text. Exits with 1 when anything got worse.
    Diff(DiffArgs),
    /// Print the text ampel extracts from a file, page by page (for rule authors and bug reports).
    Extract {
        /// The file.
        path: PathBuf,
        /// Print the normalised text the rules match on, with its sections and sentences.
        #[arg(long)]
        normalised: bool,
        /// Recognise scanned PDF pages with OCR, as `scan --ocr` does.
        #[arg(long)]
        ocr: bool,
    },
    /// Print the JSON Schema of the `--format json` output (or of one `--format jsonl` line, or
    /// of `ampel diff --format json`).
    Schema {
        /// The output whose schema to print.
        #[arg(long, value_enum, default_value_t = SchemaFormat::Json)]
        format: SchemaFormat,
    },
    /// Serve a local web page: drop agreements into the browser and see each one's light,
    /// checklist and findings; download the JSON, the HTML report and the letter to the vendor.
    /// Binds to loopback unless told otherwise; files stay in memory.
    Serve(ServeArgs),
    /// Inspect and test rule packs.
    Rules {
        /// What to do with the rules.
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Internal: extract the PDFs sent on stdin one after another and write their pages as
    /// JSON (the isolated extraction worker that `scan` and `extract` start).
    #[command(name = "__extract-worker", hide = true)]
    ExtractWorker,
}

/// Output formats of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// For people (coloured on a terminal).
    Text,
    /// One JSON object (schema_version 1).
    Json,
    /// One JSON object per document and line, streamed.
    Jsonl,
    /// One self-contained HTML page: overview table and a section per document.
    Html,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// One row per document, for spreadsheets.
    Csv,
    /// Markdown, for tickets and wikis.
    Markdown,
}

/// Outputs `ampel schema` describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaFormat {
    /// The `--format json` object.
    Json,
    /// One `--format jsonl` line.
    Jsonl,
    /// The `ampel diff --format json` object.
    Diff,
}

/// Report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// Deutsch.
    De,
    /// English.
    En,
}

/// `--fail-on` levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    /// Exit 1 when any document is red.
    Red,
    /// Exit 1 when any document is yellow or red.
    Yellow,
    /// Never exit 1 because of findings.
    Never,
}

/// Arguments of `scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or folders to scan.
    #[arg(required_unless_present = "files_from", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Also scan the paths listed in FILE, one a line (`-`: standard input), e.g.
    /// `find contracts -name '*.pdf' -print0 | ampel scan --files-from - -0`.
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,
    /// The --files-from list is separated by NUL bytes (`find -print0`, `xargs -0`).
    #[arg(short = '0', long = "null", requires = "files_from")]
    pub null: bool,
    /// Scan only share K of N (0 <= K < N), chosen by a hash of each path: N runs of the same
    /// command with K = 0..N-1 read every input exactly once (e.g. one per machine).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Write the report to FILE instead of stdout; FILE appears only once the report is
    /// complete.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Show no progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Language of titles and recommendations (default: each document's language).
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Exit with 1 when a document is rated at or above this colour.
    #[arg(long, value_enum, default_value_t = FailOnArg::Never)]
    pub fail_on: FailOnArg,
    /// Parallel jobs (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Extra rule folders; rules with the same id replace built-in ones.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Largest file to read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 100 * 1024 * 1024)]
    pub max_size: u64,
    /// Recognise scanned PDF pages (no text layer) with OCR; needs tesseract (German and
    /// English data) and pdftoppm. Quotes from such pages are marked as OCR.
    #[arg(long)]
    pub ocr: bool,
    /// Time limit per PDF parser run, in seconds; a file that takes longer is reported as
    /// `timeout`.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub timeout: f64,
    /// Memory limit of each PDF parser process, in MiB (0: no limit).
    #[arg(long, value_name = "MIB", default_value_t = 2048)]
    pub max_memory: u64,
    /// Accepted deviations.
    #[command(flatten)]
    pub waivers: WaiverArgs,
}

/// Accepted deviations (waivers), for `scan`, `letter` and `diff`.
#[derive(Debug, Args)]
pub struct WaiverArgs {
    /// A TOML file of accepted deviations (repeatable); `ampel.toml` in a scanned folder, or
    /// in the folder of a file given to `letter` or `diff`, is read too.
    #[arg(long = "waivers", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The day waiver expiry dates are checked against, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE", env = "AMPEL_TODAY")]
    pub today: Option<String>,
}

/// Arguments of `letter`.
#[derive(Debug, Args)]
pub struct LetterArgs {
    /// The agreement.
    #[arg(value_name = "FILE")]
    pub path: PathBuf,
    /// Language of the letter (default: the agreement's).
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LetterFormat::Markdown)]
    pub format: LetterFormat,
    /// Write the letter to FILE (required for docx).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Rules, OCR and accepted deviations (left out of the letter).
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// How `letter` and `diff` analyse their files.
#[derive(Debug, Args)]
pub struct AnalysisArgs {
    /// Extra rule folders.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Recognise scanned PDF pages with OCR.
    #[arg(long)]
    pub ocr: bool,
    /// Accepted deviations.
    #[command(flatten)]
    pub waivers: WaiverArgs,
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on. Anything but loopback makes the page reachable from the network
    /// and needs an access token (see --token).
    #[arg(long, value_name = "IP", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Port to listen on (0: any free port; the address is printed on start).
    #[arg(long, value_name = "PORT", default_value_t = 8080)]
    pub port: u16,
    /// Open the page in the default browser once the server is listening.
    #[arg(long)]
    pub open: bool,
    /// Access token the page and every request must carry. Required off loopback: without it
    /// one is generated and the address with it is printed.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "AMPEL_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// Largest file accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 20 * 1024 * 1024)]
    pub max_upload: u64,
    /// Files accepted at once (waiting or being analysed); more are turned away with a message
    /// to send them again later.
    #[arg(long, value_name = "N", default_value_t = 32)]
    pub max_files: usize,
    /// Analyses at once (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Extra rule folders; rules with the same id replace built-in ones.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Recognise scanned PDF pages with OCR, as `scan --ocr` does.
    #[arg(long)]
    pub ocr: bool,
    /// Time limit per PDF parser run, in seconds, as for `scan`.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub timeout: f64,
    /// Memory limit of each PDF parser process, in MiB (0: no limit), as for `scan`.
    #[arg(long, value_name = "MIB", default_value_t = 2048)]
    pub max_memory: u64,
}

/// Formats of `letter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LetterFormat {
    /// Markdown.
    Markdown,
    /// A Word document (needs -o FILE).
    Docx,
}

/// Arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old version (any supported format).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The new version (any supported format).
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Language of titles (default: the new version's).
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Write the comparison to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Rules, OCR and accepted deviations (applied to both versions before comparing).
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// Formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// For people.
    Text,
    /// JSON (schema: `ampel schema --format diff`).
    Json,
    /// Markdown.
    Markdown,
}

/// `rules` subcommands.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the rules of the pack.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        /// Extra rule folders.
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
    /// Show one rule or requirement: rationale, legal basis, recommendation, patterns.
    Show {
        /// Rule id or requirement id.
        id: String,
        /// Extra rule folders.
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
    /// Run every rule's examples through the engine (the built-in pack, or DIR's rules).
    Test {
        /// A folder of rule files to test together with the built-in pack.
        dir: Option<PathBuf>,
    },
}

/// Formats of `rules list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table.
    Text,
    /// JSON for tools: versioned records, `schema_version` 1.
    Json,
    /// The Markdown catalogue (patterns/README.md).
    Markdown,
}
