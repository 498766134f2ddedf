//! Generated and copied parts of `patterns/` stay in step: `patterns/README.md` is generated from
//! the pack, and the section headings of `requirements.toml` embed copies of the families.

use ampel::rules::{Pack, catalogue};

#[test]
fn rule_catalogue_is_up_to_date() {
    let pack = Pack::embedded().expect("built-in pack");
    let expected = catalogue::markdown(&pack);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/patterns/README.md");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == expected,
        "patterns/README.md is stale: regenerate it with\n  cargo run -- rules list --format markdown > patterns/README.md"
    );
}

/// The section headings of `patterns/requirements.toml` are written out in full (a pack made of
/// that file alone must load, without `families.toml`), so where one embeds a family it holds a
/// copy. This fails when such a copy is not the family's current pattern.
#[test]
fn requirement_headings_embed_the_current_families() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/patterns/");
    let read = |name: &str| {
        let text = std::fs::read_to_string(format!("{dir}{name}")).expect(name);
        text.parse::<toml::Table>().expect(name)
    };
    let strings = |value: Option<&toml::Value>| -> Vec<String> {
        value
            .and_then(toml::Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let families: Vec<(String, String)> = read("families.toml")["family"]
        .as_array()
        .expect("families")
        .iter()
        .map(|f| {
            let field = |k: &str| f[k].as_str().expect(k).to_string();
            (field("name"), field("pattern"))
        })
        .collect();
    let mut stale = Vec::new();
    for requirement in read("requirements.toml")["requirement"]
        .as_array()
        .expect("requirements")
    {
        let id = requirement["id"].as_str().expect("id");
        for heading in strings(requirement.get("headings")) {
            // Each embedded copy is a `(?:…)` group; it is a family's when it starts as one.
            for (at, _) in heading.match_indices("(?:") {
                let group = balanced_group(&heading[at..]);
                let inner = &group[3..group.len() - 1];
                for (name, pattern) in &families {
                    let head: String = pattern.chars().take(24).collect();
                    if inner.starts_with(&head) && inner != pattern {
                        stale.push(format!("{id}: an old copy of the family `{name}`"));
                    }
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "patterns/requirements.toml: copy the current pattern from families.toml:\n{}",
        stale.join("\n")
    );
}

/// The parenthesised group that opens at the start of `s` (backslash escapes skipped).
fn balanced_group(s: &str) -> &str {
    let mut depth = 0usize;
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &s[..=i];
                }
            }
            _ => {}
        }
    }
    s
}
