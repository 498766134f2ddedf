//! Embeds the rule pack in `patterns/` into the binary, so `cargo install` works anywhere, and
//! works out at build time what loading the pack would otherwise parse every regex for: the
//! literals each pattern requires (`src/rules/factors.rs`). A pattern of the built-in pack that
//! does not parse fails the build; the rest of the checks (compiled size, memory budget,
//! examples) run in `cargo test`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/text/coded.rs"]
mod coded;
#[allow(dead_code)]
#[path = "src/rules/factors.rs"]
mod factors;
#[allow(dead_code)]
#[path = "src/rules/hircode.rs"]
mod hircode;
#[allow(dead_code)]
#[path = "src/text/normalise.rs"]
mod normalise;

/// Must match `rules::limits::NEST_LIMIT`.
const NEST_LIMIT: u32 = 64;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

/// The regexes of one rule file or of `requirements.toml`, as written.
fn patterns(text: &str) -> Vec<String> {
    let Ok(table) = text.parse::<toml::Table>() else {
        // A broken file is reported, with its line, when the pack loads (and in `cargo test`).
        return Vec::new();
    };
    let strings = |value: Option<&toml::Value>| -> Vec<String> {
        value
            .and_then(toml::Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for key in [
        "patterns",
        "also",
        "unless",
        "review_if",
        "headings",
        "unless_headings",
    ] {
        out.extend(strings(table.get(key)));
    }
    if let Some(requirements) = table.get("requirement").and_then(toml::Value::as_array) {
        for r in requirements {
            out.extend(strings(r.get("missing_only_if")));
            out.extend(strings(r.get("headings")));
        }
    }
    out
}

/// The synonym families of `families.toml` (name → pattern), as `src/rules/families.rs`
/// reads them.
fn families(text: &str) -> BTreeMap<String, String> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return BTreeMap::new();
    };
    let Some(list) = table.get("family").and_then(toml::Value::as_array) else {
        return BTreeMap::new();
    };
    list.iter()
        .filter_map(|f| {
            let name = f.get("name")?.as_str()?;
            let pattern = f.get("pattern")?.as_str()?;
            Some((name.to_string(), pattern.to_string()))
        })
        .collect()
}

/// `pattern` with every `{@name}` replaced by `(?:family pattern)`, as `Families::expand_pattern`
/// does (`None` when a family is unknown: loading the pack reports that).
fn expand(pattern: &str, families: &BTreeMap<String, String>) -> Option<String> {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(at) = rest.find("{@") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let close = after.find('}')?;
        out.push_str("(?:");
        out.push_str(families.get(&after[..close])?);
        out.push(')');
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// The literals of the embedded pack's patterns as flat tables of numbers instead of slices of
/// string slices: every `&str` in a static table is a pointer the dynamic loader relocates at
/// start-up, and with some 60,000 of them that took megabytes of memory (the relocations and the
/// pages they write) in every process, used or not.
#[derive(Default)]
struct LiteralTable {
    /// The literals, one after the other.
    bytes: Vec<u8>,
    /// Each literal's (start, end) in `bytes`, as two little-endian `u32`s.
    spans: Vec<u8>,
    /// Each set's (start, end) in `spans` (counted in literals), as two little-endian `u32`s.
    sets: Vec<u8>,
}

impl LiteralTable {
    /// Appends the literals; their range (start, end) of `spans`.
    fn list<S: AsRef<[u8]>>(&mut self, literals: &[S]) -> (u32, u32) {
        let start = self.spans.len() / 8;
        for literal in literals {
            let from = self.bytes.len();
            self.bytes.extend_from_slice(literal.as_ref());
            push_pair(&mut self.spans, index(from), index(self.bytes.len()));
        }
        (index(start), index(self.spans.len() / 8))
    }

    /// Appends the sets of literals; their range (start, end) of `sets`.
    fn sets<S: AsRef<[u8]>>(&mut self, sets: &[Vec<S>]) -> (u32, u32) {
        let start = self.sets.len() / 8;
        for set in sets {
            let (from, to) = self.list(set);
            push_pair(&mut self.sets, from, to);
        }
        (index(start), index(self.sets.len() / 8))
    }
}

fn index(n: usize) -> u32 {
    u32::try_from(n).expect("embedded literal tables fit in u32")
}

fn push_pair(out: &mut Vec<u8>, start: u32, end: u32) {
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&end.to_le_bytes());
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"));
    let patterns_dir = root.join("patterns");
    println!("cargo:rerun-if-changed=patterns");
    println!("cargo:rerun-if-changed=src/rules/factors.rs");
    println!("cargo:rerun-if-changed=src/text/normalise.rs");
    println!("cargo:rerun-if-changed=src/text/coded.rs");
    println!("cargo:rerun-if-changed=src/rules/hircode.rs");
    let mut files = Vec::new();
    collect(&patterns_dir, &mut files);
    files.sort();
    let mut code = String::from(
        "/// The embedded rule pack: (path relative to the crate, TOML text, the same as JSON).\npub static EMBEDDED: &[(&str, &str, &str)] = &[\n",
    );
    let mut literals = BTreeMap::new();
    let mut folded_of = BTreeMap::new();
    let families = files
        .iter()
        .find(|f| f.file_name().is_some_and(|n| n == "families.toml"))
        .map(|f| families(&std::fs::read_to_string(f).expect("read families.toml")))
        .unwrap_or_default();
    for file in &files {
        let rel = file.strip_prefix(&root).expect("inside crate");
        let rel = rel.to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(file).expect("read rule file");
        // The same file as JSON, which loads several times faster (`rules::load::parse_file`);
        // a file that is no valid TOML gets none, and loading reports the TOML error.
        let json = toml::from_str::<toml::Value>(&text)
            .ok()
            .and_then(|value| serde_json::to_string(&value).ok())
            .unwrap_or_default();
        writeln!(
            code,
            "    ({rel:?}, include_str!({:?}), {json:?}),",
            file.display().to_string()
        )
        .expect("write");
        for written in patterns(&text) {
            let Some(expanded) = expand(&written, &families) else {
                continue;
            };
            let folded = normalise::fold_pattern(&expanded);
            let hir = coded::parse_pattern(&folded, NEST_LIMIT)
                .unwrap_or_else(|e| panic!("{rel}: invalid pattern `{written}`:\n{e}"));
            let starts = factors::prefixes(&hir);
            // Only where the case-insensitive prefixes are unknown: see `factors::caseless_prefixes`.
            let caseless = if starts.is_none() {
                regex_syntax::ParserBuilder::new()
                    .nest_limit(NEST_LIMIT)
                    .utf8(true)
                    .build()
                    .parse(&folded)
                    .ok()
                    .and_then(|exact| factors::caseless_prefixes(&exact))
            } else {
                None
            };
            // The coded form, parsed here once instead of at every scan that needs it, for the
            // lower-cased coded text; none for a pattern that tells ASCII case apart, which
            // reads the text itself.
            let coded_form = coded::pattern_hir(&folded, NEST_LIMIT)
                .and_then(|h| coded::lowered(&h))
                .map(|h| hircode::encode(&h));
            let entry = (
                factors::required(&hir),
                starts,
                caseless,
                coded::symbols_alike(&hir),
                coded::letters_alike(&hir),
                coded_form,
            );
            folded_of.insert(expanded, folded.clone());
            literals.insert(folded, entry);
        }
    }
    code.push_str("];\n\n");
    code.push_str(
        "/// For every pattern of the embedded pack, by folded pattern (sorted): its required literals\n/// (a range of [`SETS`]), the literals every match starts with (a range of [`SPANS`]; `None`:\n/// unknown), failing those the lower-cased literals every match starts with up to ASCII case\n/// (a range of [`SPANS`]), whether it reads coded text with symbols and with letters, and where\n/// in [`CODED_FORMS`] its lowered coded form is (start, end; `None`: it tells ASCII case apart).\n#[allow(clippy::type_complexity)]\npub static LITERALS: &[(&str, (u32, u32), Option<(u32, u32)>, Option<(u32, u32)>, bool, bool, Option<(usize, usize)>)] = &[\n",
    );
    let mut forms: Vec<u8> = Vec::new();
    let mut table = LiteralTable::default();
    for (folded, (sets, starts, caseless, alike, letters, coded_form)) in &literals {
        let required = table.sets(sets);
        let starts = starts.as_ref().map(|starts| table.list(starts));
        let caseless = caseless.as_ref().map(|caseless| table.list(caseless));
        write!(
            code,
            "    ({folded:?}, {required:?}, {starts:?}, {caseless:?}, {alike}, {letters}, "
        )
        .expect("write");
        match coded_form {
            Some(form) => {
                write!(
                    code,
                    "Some(({}, {})))",
                    forms.len(),
                    forms.len() + form.len()
                )
                .expect("write");
                forms.extend_from_slice(form);
            }
            None => code.push_str("None)"),
        }
        code.push_str(",\n");
    }
    code.push_str("];\n\n");
    code.push_str(
        "/// Every pattern of the embedded pack as loading sees it (families expanded), sorted, with\n/// its folded form, so that loading folds nothing.\npub static FOLDED: &[(&str, &str)] = &[\n",
    );
    for (expanded, folded) in &folded_of {
        writeln!(code, "    ({expanded:?}, {folded:?}),").expect("write");
    }
    code.push_str("];\n");
    code.push_str(
        "\n/// The lowered coded forms of the embedded pack's patterns, one after the other, in the byte\n/// form of `rules::hircode`.\npub static CODED_FORMS: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/coded_forms.bin\"));\n",
    );
    code.push_str(
        "\n/// The literals of [`LITERALS`], one after the other.\npub static LITERAL_BYTES: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/literal_bytes.bin\"));\n\n/// Each literal of [`LITERALS`] as the range (start, end) of [`LITERAL_BYTES`] it takes, two\n/// little-endian `u32`s.\npub static SPANS: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/spans.bin\"));\n\n/// Each set of required literals of [`LITERALS`] as the range (start, end) of [`SPANS`] it\n/// takes, two little-endian `u32`s.\npub static SETS: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/sets.bin\"));\n",
    );
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("out dir"));
    std::fs::write(out_dir.join("coded_forms.bin"), forms).expect("write coded_forms.bin");
    std::fs::write(out_dir.join("literal_bytes.bin"), &table.bytes)
        .expect("write literal_bytes.bin");
    std::fs::write(out_dir.join("spans.bin"), &table.spans).expect("write spans.bin");
    std::fs::write(out_dir.join("sets.bin"), &table.sets).expect("write sets.bin");
    std::fs::write(out_dir.join("embedded_rules.rs"), code).expect("write embedded_rules.rs");
}
