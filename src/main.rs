//! The `ampel` binary: parse arguments, call the library, map the outcome to an exit code.

mod cli;
mod followup;
mod interrupt;
mod serve;

use std::cell::RefCell;
use std::io::{self, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode as ProcessExit;
use std::time::Duration;

use ampel::batch::{self, Options};
use ampel::exit::{ExitCode, FailOn, Tally};
use ampel::extract::{self, Limits, Settings};
use ampel::pipeline;
use ampel::report::destination::AtomicFile;
use ampel::report::rule_list::{self, kind_name};
use ampel::report::{self, Format, Summary, progress, wire};
use ampel::rules::{Pack, RuleKind};
use ampel::text::Language;
use ampel::verify;
use ampel::waiver::Waivers;
use clap::Parser;
use cli::{
    Cli, Command, FailOnArg, Lang, ListFormat, OutputFormat, RulesCommand, ScanArgs, SchemaFormat,
};

/// Size of a single input from which the allocator is told to return freed memory.
const LARGE_INPUT_BYTES: u64 = 1024 * 1024;

/// Lets glibc's allocator hand freed memory back to the system sooner. By default it pads every
/// growth of a heap by 128 KiB, and once a large block has been freed it raises its trim
/// threshold (up to 64 MiB on 64-bit systems), so the memory a batch frees between documents
/// stays with the process. Fixed, small settings took the peak RSS of 1,000 agreements on two
/// cores from about 157 to 148 MB at about the same CPU time (README, performance). They are
/// set only for work on more than one document (a batch, `serve`): for one document they buy
/// nothing and cost page faults, about 41 against 38 ms for a 2-page scan. A single file over
/// [`LARGE_INPUT_BYTES`] still gets them: one 50 MB agreement peaks at 529 MB with them and
/// 558 MB without.
///
/// Blocks from 32 KiB up are mapped on their own (glibc's default threshold is 128 KiB). The
/// transition tables of the patterns' lazy DFAs are such blocks: they grow by doubling, and a
/// mapped block that grows is moved by the kernel without copying, while the part of its
/// capacity never written costs no memory. On 1,000 agreements that took the peak from 151.5 to
/// 146.9 MiB at the same CPU time (README, performance).
fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets parameters of the allocator, under the allocator's own lock
    // (glibc), so it may be called while memory is in use and other threads run.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 0);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 * 1024);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 * 1024);
    }
}

fn main() -> ProcessExit {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Scan(args) => scan(args),
        Command::Letter(args) => followup::letter(args),
        Command::Diff(args) => followup::diff(args),
        Command::Serve(args) => {
            return_freed_memory();
            serve::run(args)
        }
        Command::Extract {
            path,
            normalised,
            ocr,
        } => extract(&path, normalised, ocr),
        Command::Schema { format } => schema(format),
        Command::Rules { command } => rules(command),
        Command::ExtractWorker => {
            return ProcessExit::from(extract::worker::serve() as u8);
        }
    };
    extract::worker::stop_idle();
    ProcessExit::from(code as u8)
}

/// The rule pack for the rest of the process. It is leaked on purpose: it lives until exit
/// anyway, and freeing its thousands of small allocations would only delay the exit.
fn load(dirs: &[PathBuf]) -> Result<&'static Pack, ExitCode> {
    leak(Pack::with_dirs(dirs))
}

/// The pack with every file checked in full (limits, every pattern compiled and charged
/// against the memory budget), for `rules test`.
fn load_checked(dirs: &[PathBuf]) -> Result<&'static Pack, ExitCode> {
    leak(Pack::checked_with_dirs(dirs))
}

fn leak(loaded: Result<Pack, ampel::rules::Errors>) -> Result<&'static Pack, ExitCode> {
    match loaded {
        Ok(pack) => Ok(Box::leak(Box::new(pack))),
        Err(e) => {
            eprintln!("ampel: invalid rule pack:\n{e}");
            Err(ExitCode::Failure)
        }
    }
}

fn scan(args: ScanArgs) -> ExitCode {
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        eprintln!("ampel: --timeout must be a positive number of seconds");
        return ExitCode::Failure;
    }
    let limits = Limits {
        timeout: Duration::from_secs_f64(args.timeout.min(1e6)),
        max_memory: (args.max_memory > 0).then(|| args.max_memory.saturating_mul(1024 * 1024)),
    };
    let mut extraction = extraction_settings(limits);
    extraction.ocr = args.ocr;
    let paths = match input_paths(&args) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut inputs = batch::collect_inputs(&paths);
    let found = inputs.len();
    // A 2-page agreement frees nothing worth returning; a batch or one large file does.
    if found > 1
        || inputs
            .iter()
            .any(|input| std::fs::metadata(&input.path).is_ok_and(|m| m.len() > LARGE_INPUT_BYTES))
    {
        return_freed_memory();
    }
    if let Some(shard) = args.shard {
        inputs.retain(|input| shard.holds(&input.shown));
    }
    let options = Options {
        max_size: args.max_size,
        jobs: args.jobs,
        extraction,
    };
    // A short run reads its inputs while the pack loads: for one short agreement, reading it
    // and loading the pack take about as long as matching it.
    let ahead = batch::ReadAhead::start(&inputs, &options);
    let pack = match load(&args.rules) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let folders: Vec<PathBuf> = paths.iter().filter(|p| p.is_dir()).cloned().collect();
    let waivers = match followup::waivers(&args.waivers, &folders, pack) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let job = Job {
        format: match args.format {
            OutputFormat::Text => Format::Text,
            OutputFormat::Json => Format::Json,
            OutputFormat::Jsonl => Format::Jsonl,
            OutputFormat::Html => Format::Html,
            OutputFormat::Sarif => Format::Sarif,
            OutputFormat::Csv => Format::Csv,
            OutputFormat::Markdown => Format::Markdown,
        },
        lang: args.lang.map(|l| match l {
            Lang::De => Language::De,
            Lang::En => Language::En,
        }),
        options,
        ahead,
        progress: progress::wanted(inputs.len(), args.quiet),
        inputs,
        pack,
        waivers: RefCell::new(waivers),
    };
    // Colours only for text, and only where anstream finds a terminal that wants them.
    let outcome = match &args.output {
        None if job.format == Format::Text => job.run(anstream::stdout().lock()),
        None => job.run(io::stdout().lock()),
        Some(path) => match AtomicFile::create(path) {
            Ok(mut file) => {
                interrupt::remove_on_interrupt(file.temporary_path());
                let outcome = if job.format == Format::Text {
                    job.run(anstream::StripStream::new(&mut file as &mut dyn Write))
                } else {
                    job.run(&mut file)
                };
                match outcome {
                    (Ok(()), tally) => (file.commit(), tally),
                    failed => failed,
                }
            }
            Err(e) => {
                eprintln!("ampel: cannot write the report to {}: {e}", path.display());
                return ExitCode::Failure;
            }
        },
    };
    let (written, tally) = outcome;
    followup::warn(&job.waivers.borrow());
    if let Err(e) = written {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return ExitCode::Success;
        }
        eprintln!("ampel: cannot write the report: {e}");
        return ExitCode::Failure;
    }
    if found == 0 {
        eprintln!(
            "ampel: no documents found under the given paths (looked for .pdf, .docx, .odt, .html, .htm, .md, .txt)"
        );
    }
    tally.exit_code(match args.fail_on {
        FailOnArg::Red => FailOn::Red,
        FailOnArg::Yellow => FailOn::Yellow,
        FailOnArg::Never => FailOn::Never,
    })
}

/// The paths to scan: those given, then those listed in `--files-from`.
fn input_paths(args: &ScanArgs) -> Result<Vec<PathBuf>, ExitCode> {
    let mut paths = args.paths.clone();
    let Some(list) = &args.files_from else {
        return Ok(paths);
    };
    let read = if list.as_os_str() == "-" {
        pipeline::read_paths(io::stdin().lock(), args.null)
    } else {
        std::fs::File::open(list)
            .and_then(|f| pipeline::read_paths(io::BufReader::new(f), args.null))
    };
    match read {
        Ok(listed) => {
            paths.extend(listed);
            Ok(paths)
        }
        Err(e) => {
            eprintln!(
                "ampel: cannot read the list of files {}: {e}",
                list.display()
            );
            Err(ExitCode::Failure)
        }
    }
}

/// One `scan`: what to read and how to report it.
struct Job<'a> {
    format: Format,
    lang: Option<Language>,
    options: Options,
    inputs: Vec<batch::Input>,
    /// The inputs of a short run, read while the pack loaded ([`batch::ReadAhead`]).
    ahead: batch::ReadAhead,
    progress: bool,
    pack: &'a Pack,
    /// Accepted deviations, applied to each document after assessment.
    waivers: RefCell<Waivers>,
}

impl Job<'_> {
    /// Analyses the inputs and writes the report to `out`; the first write error ends the
    /// report (the batch still runs, for the exit code).
    fn run(&self, out: impl Write) -> (io::Result<()>, Tally) {
        let mut reporter =
            report::reporter(self.format, io::BufWriter::new(out), self.lang, self.pack);
        if self.progress {
            reporter = Box::new(progress::WithProgress::new(reporter, self.inputs.len()));
        }
        let mut summary = Summary::default();
        let mut tally = Tally::default();
        let mut written = Ok(());
        let mut waivers = self.waivers.borrow_mut();
        batch::scan_until(
            &self.inputs,
            self.pack,
            &self.options,
            Some(&self.ahead),
            |mut report| {
                waivers.apply(&mut report);
                summary.add(&report);
                tally.add(report.status, report.assessment.as_ref().map(|a| a.ampel));
                written = reporter.document(&report);
                // Nobody reads on (a closed pipe, a full disk): stop instead of reading on.
                match written {
                    Ok(()) => ControlFlow::Continue(()),
                    Err(_) => ControlFlow::Break(()),
                }
            },
        );
        if written.is_ok() {
            written = reporter.waiver_notices(&waivers.notices());
        }
        if written.is_ok() {
            written = reporter.finish(&summary);
        }
        (written, tally)
    }
}

fn schema(format: SchemaFormat) -> ExitCode {
    let schema = match format {
        SchemaFormat::Json => wire::json_schema(),
        SchemaFormat::Jsonl => wire::jsonl_schema(),
        SchemaFormat::Diff => report::diff::json_schema(),
    };
    let mut out = io::stdout().lock();
    match serde_json::to_writer_pretty(&mut out, &schema)
        .map_err(io::Error::from)
        .and_then(|()| writeln!(out))
    {
        Ok(()) => ExitCode::Success,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::Success,
        Err(e) => {
            eprintln!("ampel: cannot write the schema: {e}");
            ExitCode::Failure
        }
    }
}

/// PDF engines run in worker processes of this very binary, so a parser that crashes, hangs
/// or blows up costs one file, not the batch. Without a path to ourselves, they run in-process.
fn extraction_settings(limits: Limits) -> Settings {
    Settings {
        worker: std::env::current_exe().ok(),
        limits,
        pdftotext: true,
        ocr: false,
    }
}

fn extract(path: &Path, normalised: bool, ocr: bool) -> ExitCode {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("ampel: cannot read {}: {e}", path.display());
            return ExitCode::Failure;
        }
    };
    let mut settings = extraction_settings(Limits::default());
    settings.ocr = ocr;
    let document = match extract::extract_checked(path, &bytes, &settings) {
        Ok((d, quality)) => {
            let issues = if quality.is_sound() {
                String::new()
            } else {
                format!(" ({})", quality.summary())
            };
            eprintln!("ampel: text by {}{issues}", d.extractor);
            d
        }
        Err(e) => {
            eprintln!("ampel: {}: {e}", path.display());
            return ExitCode::Failure;
        }
    };
    let mut out = io::stdout().lock();
    let result = if normalised {
        let text =
            ampel::text::Text::new(document.pages.iter().map(|p| (p.number, p.text.as_str())));
        text.sentences.iter().enumerate().try_for_each(|(i, s)| {
            let new_section = i == 0 || text.sentences[i - 1].section != s.section;
            if new_section {
                let label = text
                    .section_label(s.section)
                    .unwrap_or_else(|| "(preamble)".into());
                writeln!(out, "\n## {label}")?;
            }
            let mark = if s.definition { "D" } else { "-" };
            writeln!(out, "{mark} {}", &text.flat[s.start..s.end])
        })
    } else {
        document.pages.iter().try_for_each(|p| {
            let ocr = if p.ocr { " (OCR)" } else { "" };
            writeln!(out, "--- page {}{ocr} ---\n{}", p.number, p.text)
        })
    };
    if result.is_err() {
        ExitCode::Failure
    } else {
        ExitCode::Success
    }
}

fn rules(command: RulesCommand) -> ExitCode {
    match command {
        RulesCommand::List { format, rules } => match load(&rules) {
            Ok(pack) => list(pack, format),
            Err(code) => code,
        },
        RulesCommand::Show { id, rules } => match load(&rules) {
            Ok(pack) => show(pack, &id),
            Err(code) => code,
        },
        RulesCommand::Test { dir } => test(dir.as_deref()),
    }
}

fn list(pack: &Pack, format: ListFormat) -> ExitCode {
    let mut out = io::stdout().lock();
    let result = match format {
        ListFormat::Json => serde_json::to_writer_pretty(&mut out, &rule_list::rule_list(pack))
            .map_err(io::Error::from)
            .and_then(|()| writeln!(out)),
        ListFormat::Markdown => out.write_all(ampel::rules::catalogue::markdown(pack).as_bytes()),
        ListFormat::Text => pack.rules.iter().try_for_each(|r| {
            let severity = if r.kind == RuleKind::RedFlag {
                r.severity.as_str()
            } else {
                "-"
            };
            writeln!(
                out,
                "{:<55} {:<9} {:<7} {:<6} {}",
                r.id,
                kind_name(r.kind),
                severity,
                r.languages
                    .iter()
                    .map(|l| l.code())
                    .collect::<Vec<_>>()
                    .join(","),
                r.title.en
            )
        }),
    };
    if result.is_err() {
        ExitCode::Failure
    } else {
        ExitCode::Success
    }
}

fn show(pack: &Pack, id: &str) -> ExitCode {
    if let Some(r) = pack.rule(id) {
        println!(
            "{}  ({}, {})",
            r.id,
            kind_name(r.kind),
            pack.requirements[r.requirement].id
        );
        if r.kind == RuleKind::RedFlag {
            println!("severity:       {}", r.severity.as_str());
        }
        println!("legal basis:    {}", r.legal_basis);
        println!(
            "languages:      {}",
            r.languages
                .iter()
                .map(|l| l.code())
                .collect::<Vec<_>>()
                .join(", ")
        );
        println!("file:           {}", r.source);
        println!(
            "\ntitle (de):     {}\ntitle (en):     {}",
            r.title.de, r.title.en
        );
        if let Some(why) = &r.rationale {
            println!("\nrationale (de): {}\nrationale (en): {}", why.de, why.en);
        }
        println!(
            "\nrecommendation (de): {}\nrecommendation (en): {}",
            r.recommendation.de, r.recommendation.en
        );
        println!(
            "\nsuggested clause (de): {}\nsuggested clause (en): {}",
            r.suggested_clause.de, r.suggested_clause.en
        );
        println!("\nkeywords: {}", r.keywords.join(", "));
        for p in &r.patterns {
            println!("pattern:  {}", p.as_str());
        }
        for p in &r.unless {
            println!("unless:   {}", p.as_str());
        }
        return ExitCode::Success;
    }
    if let Some(i) = pack.requirement_index(id) {
        let q = &pack.requirements[i];
        println!("{}  (requirement, {})", q.id, q.legal_basis);
        println!("\n{}\n{}", q.title.de, q.explanation.de);
        println!("\n{}\n{}", q.title.en, q.explanation.en);
        println!(
            "\nrecommendation (de): {}\nrecommendation (en): {}",
            q.recommendation.de, q.recommendation.en
        );
        println!(
            "\nsuggested clause when missing (de): {}\nsuggested clause when missing (en): {}",
            q.suggested_clause.de, q.suggested_clause.en
        );
        println!("\nrules:");
        for r in pack.rules.iter().filter(|r| r.requirement == i) {
            println!("  {:<55} {}", r.id, kind_name(r.kind));
        }
        return ExitCode::Success;
    }
    eprintln!("ampel: no rule or requirement with id `{id}` (see `ampel rules list`)");
    ExitCode::Failure
}

fn test(dir: Option<&Path>) -> ExitCode {
    let dirs: Vec<PathBuf> = dir.map(Path::to_path_buf).into_iter().collect();
    let pack = match load_checked(&dirs) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let prefix = dir.map(|d| d.display().to_string());
    let v = verify::verify(pack, |r| {
        prefix.as_deref().is_none_or(|p| r.source.starts_with(p))
    });
    for failure in &v.failures {
        println!("{failure}");
    }
    println!(
        "{} rules, {} examples: {} validated, {} failures",
        v.rules,
        v.examples,
        v.validated,
        v.failures.len()
    );
    if v.failures.is_empty() {
        ExitCode::Success
    } else {
        ExitCode::Findings
    }
}
