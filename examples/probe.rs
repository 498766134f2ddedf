//! Which rules fire on a piece of text, and where: for rule authors.
//! `echo "We may update this DPA." | cargo run --release --example probe`
//!
//! Runs the built-in pack (or `--rules DIR` on top of it) through the production engine on the
//! text read from standard input, as one snippet, and prints every hit with its rule, kind and
//! the sentence it stands in. Unlike `ampel scan`, it does not judge whether the text is an
//! agreement at all, so single clauses can be tried.

use std::io::Read;
use std::path::PathBuf;

use ampel::engine;
use ampel::rules::Pack;
use ampel::text::Text;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dirs: Vec<PathBuf> = args
        .windows(2)
        .filter(|w| w[0] == "--rules")
        .map(|w| PathBuf::from(&w[1]))
        .collect();
    let pack = Pack::with_dirs(&dirs).unwrap_or_else(|e| panic!("rule pack: {e}"));
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .expect("read standard input");
    let text = Text::from_snippet(&input);
    for hit in engine::run(&pack, &text) {
        let rule = &pack.rules[hit.rule];
        let s = &text.sentences[hit.sentence_index()];
        println!(
            "{:<48} {:<9} {}{}\n    {}",
            rule.id,
            format!("{:?}", rule.kind),
            if hit.review { "(review) " } else { "" },
            &text.flat[hit.range()],
            &text.flat[s.start..s.end]
        );
    }
}
