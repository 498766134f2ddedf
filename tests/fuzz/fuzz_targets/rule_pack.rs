//! Arbitrary TOML as an untrusted rule pack: an error naming the file, never a panic.

#![no_main]

use ampel::rules::{Pack, Source};
use libfuzzer_sys::fuzz_target;

const REQUIREMENTS: &str = include_str!("../../../patterns/requirements.toml");

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    // Even first bytes: the input is a rule file; odd: it replaces requirements.toml.
    let as_rule = data.first().is_none_or(|b| b % 2 == 0);
    let mut sources = vec![Source {
        path: "patterns/requirements.toml".into(),
        text: REQUIREMENTS.into(),
    }];
    let path = if as_rule {
        "fuzz/audits.fuzz.toml"
    } else {
        "fuzz/requirements.toml"
    };
    sources.push(Source {
        path: path.into(),
        text,
    });
    if let Err(errors) = Pack::from_sources(sources) {
        for e in &errors.0 {
            assert!(!e.file.is_empty() && !e.message.is_empty(), "{e}");
        }
    }
});
