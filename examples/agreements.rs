//! Writes generated agreements (see `benches/support/agreements.rs`) to a folder, for
//! whole-scan and memory measurements (`benches/cli.sh`):
//!
//! ```sh
//! cargo run --release --example agreements -- DIR COUNT [SEED]   # COUNT agreements, .txt
//! cargo run --release --example agreements -- --huge FILE MB     # one agreement of MB megabytes
//! ```
//!
//! Pages are separated by form feeds, as `pdftotext` writes them.

#[path = "../benches/support/agreements.rs"]
mod agreements;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use agreements::Library;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let library = Library::load(Path::new(env!("CARGO_MANIFEST_DIR")));
    match args.as_slice() {
        [flag, file, mb] if flag == "--huge" => {
            let Ok(mb) = mb.parse::<usize>() else {
                return usage();
            };
            let text: Vec<String> = library
                .agreements(3, mb * 1_000_000)
                .iter()
                .map(|a| a.to_text())
                .collect();
            write(Path::new(file), &text.join("\n\u{c}\n"))
        }
        [dir, count, rest @ ..] if rest.len() <= 1 => {
            let (Ok(count), Ok(seed)) = (
                count.parse::<usize>(),
                rest.first().map_or(Ok(1), |s| s.parse::<u64>()),
            ) else {
                return usage();
            };
            let dir = PathBuf::from(dir);
            if let Err(e) = std::fs::create_dir_all(&dir) {
                eprintln!("agreements: cannot create {}: {e}", dir.display());
                return ExitCode::FAILURE;
            }
            let mut rng = fastrand::Rng::with_seed(seed);
            for i in 0..count {
                let a = library.agreement(&mut rng);
                let code = write(&dir.join(format!("agreement-{i:05}.txt")), &a.to_text());
                if code != ExitCode::SUCCESS {
                    return code;
                }
            }
            ExitCode::SUCCESS
        }
        _ => usage(),
    }
}

fn write(path: &Path, text: &str) -> ExitCode {
    match std::fs::write(path, text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("agreements: cannot write {}: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: agreements DIR COUNT [SEED] | agreements --huge FILE MB");
    ExitCode::from(2)
}
