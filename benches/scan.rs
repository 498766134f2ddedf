//! Throughput of the stages: text preparation, matching (engine), and whole-file analysis of
//! a PDF and a Markdown agreement. Run with `cargo bench`.

use std::hint::black_box;
use std::path::Path;

use ampel::batch::analyse_bytes;
use ampel::engine;
use ampel::rules::Pack;
use ampel::text::Text;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn corpus_file(ext: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(if ext == "pdf" { "pdf" } else { "src" });
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files.into_iter().next().expect("a corpus file")
}

fn benches(c: &mut Criterion) {
    let pack = Pack::embedded().expect("pack");
    let md = corpus_file("md");
    let source = std::fs::read_to_string(&md).expect("read");
    // A long agreement: the source repeated to about 1 MB.
    let long: String =
        std::iter::repeat_n(source.as_str(), (1_000_000 / source.len().max(1)).max(1)).collect();

    let mut g = c.benchmark_group("text");
    g.throughput(Throughput::Bytes(long.len() as u64));
    g.sample_size(10);
    g.bench_function("normalise+segment 1MB", |b| {
        b.iter(|| Text::from_snippet(black_box(&long)))
    });
    let text = Text::from_snippet(&long);
    g.bench_function("engine 1MB", |b| {
        b.iter(|| engine::run(&pack, black_box(&text)))
    });
    g.finish();

    let mut g = c.benchmark_group("file");
    g.sample_size(20);
    let md_bytes = std::fs::read(&md).expect("read");
    g.bench_function("analyse markdown agreement", |b| {
        b.iter(|| analyse_bytes("x.md", &md, black_box(&md_bytes), &pack))
    });
    let pdf = corpus_file("pdf");
    let pdf_bytes = std::fs::read(&pdf).expect("read");
    g.bench_function("analyse pdf agreement", |b| {
        b.iter(|| analyse_bytes("x.pdf", &pdf, black_box(&pdf_bytes), &pack))
    });
    g.finish();
}

criterion_group!(scan, benches);
criterion_main!(scan);
