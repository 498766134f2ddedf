//! Throughput of text preparation (normalise + segment) and of matching (the engine with the
//! full built-in pack), one core, on at least 20 MB of generated agreements (see
//! `support/agreements.rs`); growth at 1×, 10× and 100× of one agreement; and pathological
//! texts (no full stop, one word per line, one huge table) at two sizes each, whose MB/s
//! should match. Criterion prints MB/s (decimal megabytes) for every case. Run with
//! `cargo bench --bench throughput`.

#[path = "support/agreements.rs"]
mod agreements;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use agreements::{Agreement, Library};
use ampel::engine;
use ampel::rules::Pack;
use ampel::text::Text;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Bytes of generated agreement text the matching benchmarks run on.
const MATCHING_BYTES: usize = 20_000_000;
const SEED: u64 = 1;

fn text_of(a: &Agreement) -> Text {
    Text::new(
        a.pages
            .iter()
            .enumerate()
            .map(|(i, p)| (i as u32 + 1, p.as_str())),
    )
}

fn library() -> Library {
    Library::load(Path::new(env!("CARGO_MANIFEST_DIR")))
}

fn matching(c: &mut Criterion) {
    let pack = Pack::embedded().expect("pack");
    let docs = library().agreements(SEED, MATCHING_BYTES);
    let bytes: usize = docs.iter().map(Agreement::len).sum();
    let pages: usize = docs.iter().map(|d| d.pages.len()).sum();
    println!(
        "input: {} generated agreements (seed {SEED}), {pages} pages, {:.1} MB of text",
        docs.len(),
        bytes as f64 / 1e6
    );
    let mut g = c.benchmark_group("matching");
    g.throughput(Throughput::BytesDecimal(bytes as u64));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.bench_function("normalise+segment", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(text_of(d));
            }
        })
    });
    let texts: Vec<Text> = docs.iter().map(text_of).collect();
    g.bench_function("engine (full pack)", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(engine::run(&pack, t));
            }
        })
    });
    g.finish();
}

/// Text preparation and matching of `pages` together, as a scan does them.
fn prepare_and_match(pack: &Pack, pages: &[String]) -> usize {
    let text = Text::new(
        pages
            .iter()
            .enumerate()
            .map(|(i, p)| (i as u32 + 1, p.as_str())),
    );
    engine::run(pack, &text).len()
}

fn growth(c: &mut Criterion) {
    let pack = Pack::embedded().expect("pack");
    let library = library();
    // The first generated agreement of 40 KB or more.
    let mut rng = fastrand::Rng::with_seed(SEED);
    let one = std::iter::repeat_with(|| library.agreement(&mut rng))
        .find(|a| a.len() >= 40_000)
        .expect("an agreement");
    let mut g = c.benchmark_group("growth");
    g.sample_size(10);
    for times in [1, 10, 100] {
        let pages: Vec<String> = (0..times).flat_map(|_| one.pages.clone()).collect();
        let bytes: usize = pages.iter().map(String::len).sum();
        g.throughput(Throughput::BytesDecimal(bytes as u64));
        g.bench_function(format!("{times}x ({:.2} MB)", bytes as f64 / 1e6), |b| {
            b.iter(|| prepare_and_match(&pack, black_box(&pages)))
        });
    }
    g.finish();
}

/// Makes a pathological text of about the given size.
type Make<'a> = Box<dyn Fn(usize) -> String + 'a>;

fn pathological(c: &mut Criterion) {
    let pack = Pack::embedded().expect("pack");
    let library = library();
    let mut g = c.benchmark_group("pathological");
    g.sample_size(10);
    let cases: [(&str, Make, [usize; 2]); 3] = [
        (
            "no full stop",
            Box::new(|n| agreements::without_full_stops(&library, n)),
            [5_000_000, 50_000_000],
        ),
        (
            "one-word lines",
            Box::new(|n| agreements::one_word_lines(&library, n)),
            [100_000, 1_000_000],
        ),
        (
            "table",
            Box::new(|n| agreements::one_table(&library, n)),
            [1_000_000, 10_000_000],
        ),
    ];
    for (name, make, sizes) in &cases {
        for &size in sizes {
            let pages = vec![make(size)];
            let bytes = pages[0].len();
            g.throughput(Throughput::BytesDecimal(bytes as u64));
            g.bench_function(format!("{name} ({:.1} MB)", bytes as f64 / 1e6), |b| {
                b.iter(|| prepare_and_match(&pack, black_box(&pages)))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, matching, growth, pathological);
criterion_main!(benches);
