//! The commands that follow the light (part of the `ampel` binary): loading accepted
//! deviations for `scan`, `letter` and `diff`, writing the change request to the vendor, and
//! comparing two versions of an agreement. Like `main.rs`, this only wires arguments to the
//! library and maps outcomes to exit codes.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use ampel::batch::{self, DocumentReport, Options};
use ampel::exit::ExitCode;
use ampel::report::destination::AtomicFile;
use ampel::report::letter::Letter;
use ampel::report::{diff as diff_report, docx};
use ampel::rules::Pack;
use ampel::text::Language;
use ampel::waiver::{self, Waivers};

use crate::cli::{AnalysisArgs, DiffArgs, DiffFormat, Lang, LetterArgs, LetterFormat, WaiverArgs};
use crate::{extraction_settings, load};

fn language(lang: Option<Lang>) -> Option<Language> {
    lang.map(|l| match l {
        Lang::De => Language::De,
        Lang::En => Language::En,
    })
}

/// The waivers of a run: the `--waivers` files, then `ampel.toml` in each of `folders` (when
/// present), checked against `--today` or today. Errors are printed with file and line.
pub fn waivers(args: &WaiverArgs, folders: &[PathBuf], pack: &Pack) -> Result<Waivers, ExitCode> {
    let today = match &args.today {
        Some(text) => waiver::parse_date(text).map_err(|e| {
            eprintln!("ampel: --today: {e}");
            ExitCode::Failure
        })?,
        None => waiver::today(),
    };
    let mut files: Vec<PathBuf> = args.files.clone();
    for folder in folders {
        let file = folder.join(waiver::FOLDER_FILE);
        if file.is_file() && !files.contains(&file) {
            files.push(file);
        }
    }
    let mut list = Vec::new();
    let mut failed = false;
    for file in &files {
        match waiver::load(file, pack) {
            Ok(mut w) => list.append(&mut w),
            Err(errors) => {
                failed = true;
                for e in errors {
                    eprintln!("ampel: invalid waiver: {e}");
                }
            }
        }
    }
    if failed {
        return Err(ExitCode::Failure);
    }
    Ok(Waivers::new(list, today))
}

/// Prints the waivers that need attention on stderr.
pub fn warn(waivers: &Waivers) {
    for notice in waivers.notices() {
        eprintln!("ampel: warning: {}", notice.message());
    }
}

/// The folder of each file, for its `ampel.toml`.
fn folders_of(files: &[&Path]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for f in files {
        let folder = match f.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !out.contains(&folder) {
            out.push(folder);
        }
    }
    out
}

/// The pack and waivers of `args`, and `files` analysed (in parallel, default limits) with
/// the waivers applied: one report per file, in order. A file that could not be analysed is an
/// error on stderr.
fn prepare(
    args: &AnalysisArgs,
    files: &[&Path],
) -> Result<(&'static Pack, Vec<DocumentReport>), ExitCode> {
    let pack = load(&args.rules)?;
    let mut waivers = waivers(&args.waivers, &folders_of(files), pack)?;
    let mut reports = analyse(files, pack, args.ocr);
    for report in &mut reports {
        analysed(report)?;
        waivers.apply(report);
    }
    warn(&waivers);
    Ok((pack, reports))
}

/// Analyses `files` (in parallel) with the default limits; one report per file, in order.
fn analyse(files: &[&Path], pack: &Pack, ocr: bool) -> Vec<DocumentReport> {
    let inputs: Vec<batch::Input> = files
        .iter()
        .map(|p| batch::Input {
            path: p.to_path_buf(),
            shown: p.display().to_string(),
            problem: None,
        })
        .collect();
    let mut extraction = extraction_settings(Default::default());
    extraction.ocr = ocr;
    let options = Options {
        extraction,
        ..Options::default()
    };
    let mut reports = Vec::new();
    batch::scan(&inputs, pack, &options, |r| reports.push(r));
    reports
}

/// The text of a file as the rules see it (before normalisation), for telling which quoted
/// clauses really changed; `None` when it cannot be read (the comparison then goes by quotes).
fn full_text(path: &Path, ocr: bool) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let mut settings = extraction_settings(Default::default());
    settings.ocr = ocr;
    let (document, _) = ampel::extract::extract_checked(path, &bytes, &settings).ok()?;
    let text = ampel::text::Text::new(document.pages.iter().map(|p| (p.number, p.text.as_str())));
    Some(text.content)
}

/// Writes `bytes` to `output` atomically, or to stdout.
fn write(output: Option<&Path>, bytes: &[u8]) -> ExitCode {
    let result = match output {
        Some(path) => AtomicFile::create(path).and_then(|mut file| {
            file.write_all(bytes)?;
            file.commit()
        }),
        None => io::stdout().lock().write_all(bytes),
    };
    match result {
        Ok(()) => ExitCode::Success,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::Success,
        Err(e) => {
            let target = output.map_or("stdout".to_string(), |p| p.display().to_string());
            eprintln!("ampel: cannot write to {target}: {e}");
            ExitCode::Failure
        }
    }
}

/// The report of a document that must have been analysed, or an error message.
fn analysed(report: &DocumentReport) -> Result<(), ExitCode> {
    if report.assessment.is_some() {
        return Ok(());
    }
    eprintln!(
        "ampel: {}: {}: {} (only an analysed agreement can be used here; see `ampel scan`)",
        report.path,
        report.status.as_str(),
        report
            .message_text(report.language.unwrap_or(Language::En))
            .unwrap_or_else(|| "not analysed".into())
    );
    Err(ExitCode::Failure)
}

/// `ampel letter`.
pub fn letter(args: LetterArgs) -> ExitCode {
    if args.format == LetterFormat::Docx && args.output.is_none() {
        eprintln!("ampel: --format docx writes a file: add -o FILE.docx");
        return ExitCode::Failure;
    }
    let (pack, reports) = match prepare(&args.analysis, &[args.path.as_path()]) {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let Some(report) = reports.first() else {
        return ExitCode::Failure;
    };
    let lang = language(args.lang)
        .or(report.language)
        .unwrap_or(Language::En);
    let Some(letter) = Letter::new(report, pack, lang) else {
        return ExitCode::Failure;
    };
    let bytes = match args.format {
        LetterFormat::Markdown => letter.markdown().into_bytes(),
        LetterFormat::Docx => match docx::docx(&letter) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("ampel: {e}");
                return ExitCode::Failure;
            }
        },
    };
    write(args.output.as_deref(), &bytes)
}

/// `ampel diff`: exit 1 when anything got worse.
pub fn diff(args: DiffArgs) -> ExitCode {
    let files = [args.old.as_path(), args.new.as_path()];
    let (pack, reports) = match prepare(&args.analysis, &files) {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let [old, new] = reports.as_slice() else {
        return ExitCode::Failure;
    };
    let ocr = args.analysis.ocr;
    let texts = (full_text(&args.old, ocr), full_text(&args.new, ocr));
    let texts = match &texts {
        (Some(o), Some(n)) => Some((o.as_str(), n.as_str())),
        _ => None,
    };
    let comparison = match ampel::diff::compare(old, new, pack, texts) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ampel: cannot compare: {e}");
            return ExitCode::Failure;
        }
    };
    let lang = language(args.lang).or(new.language).unwrap_or(Language::En);
    let text = match args.format {
        DiffFormat::Text => diff_report::text(&comparison, lang),
        DiffFormat::Markdown => diff_report::markdown(&comparison, lang),
        DiffFormat::Json => {
            match serde_json::to_string_pretty(&diff_report::output(&comparison, lang)) {
                Ok(json) => json + "\n",
                Err(e) => {
                    eprintln!("ampel: cannot write JSON: {e}");
                    return ExitCode::Failure;
                }
            }
        }
    };
    match write(args.output.as_deref(), text.as_bytes()) {
        ExitCode::Success if comparison.worse() => ExitCode::Findings,
        code => code,
    }
}
