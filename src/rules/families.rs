//! Synonym families: named alternations that many rules share (`patterns/families.toml`).
//!
//! Real agreements say "directives", "Weisungen" or "Anordnungen" for the controller's
//! instructions, "Datengeheimnis", "Verschwiegenheit" or "secrecy" for confidentiality. A family
//! names such a set once, in both languages; a rule uses it as `{@name}` inside a pattern
//! (expanded to a non-capturing group before compiling) and as `"@name"` in its keywords
//! (expanded to the family's keywords). A family changed in one place changes every rule that
//! uses it, so synonyms found in real contracts reach all rules at once.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One family as written in `families.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FamilySpec {
    /// Name used as `{@name}` and `"@name"` (lower case, digits and `_`).
    pub name: String,
    /// What the family stands for, for rule authors.
    pub description: String,
    /// A regex alternation (folded and case-insensitive like every pattern).
    pub pattern: String,
    /// Prefilter keywords that together cover every word the pattern can match.
    pub keywords: Vec<String>,
}

/// The whole `families.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FamiliesFile {
    /// The families.
    #[serde(default)]
    pub family: Vec<FamilySpec>,
}

/// The families of a pack, by name.
#[derive(Debug, Clone, Default)]
pub struct Families(BTreeMap<String, FamilySpec>);

/// Keywords of a rule after expansion: each group must be proven by a `fires` example (a
/// rule's own keyword is a group of one; a family is one group, any of its keywords will do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpandedKeywords {
    /// Every keyword, in order, without duplicates.
    pub all: Vec<String>,
    /// Groups for the example check.
    pub groups: Vec<Vec<String>>,
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Families {
    /// Adds (or replaces) a family; returns a message when it is malformed.
    pub fn insert(&mut self, family: FamilySpec) -> Result<(), String> {
        if !valid_name(&family.name) {
            return Err(format!(
                "family name `{}` must be lower-case letters, digits and `_`",
                family.name
            ));
        }
        if family.pattern.contains("{@") {
            return Err(format!(
                "family `{}` uses another family; families cannot nest",
                family.name
            ));
        }
        if family.keywords.is_empty() {
            return Err(format!("family `{}` needs keywords", family.name));
        }
        self.0.insert(family.name.clone(), family);
        Ok(())
    }

    /// Looks a family up.
    pub fn get(&self, name: &str) -> Option<&FamilySpec> {
        self.0.get(name)
    }

    /// Every family, by name.
    pub fn iter(&self) -> impl Iterator<Item = &FamilySpec> {
        self.0.values()
    }

    /// Replaces every `{@name}` in `pattern` by `(?:family pattern)`.
    pub fn expand_pattern(&self, pattern: &str) -> Result<String, String> {
        let mut out = String::with_capacity(pattern.len());
        let mut rest = pattern;
        while let Some(at) = rest.find("{@") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            let Some(close) = after.find('}') else {
                return Err(format!("unclosed `{{@` in pattern `{pattern}`"));
            };
            let name = &after[..close];
            let family = self.0.get(name).ok_or_else(|| {
                format!(
                    "unknown family `{{@{name}}}` in pattern `{pattern}`; known: {}",
                    self.names()
                )
            })?;
            out.push_str("(?:");
            out.push_str(&family.pattern);
            out.push(')');
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// Expands `"@name"` entries of a keyword list into the family's keywords.
    pub fn expand_keywords(&self, keywords: &[String]) -> Result<ExpandedKeywords, String> {
        let mut out = ExpandedKeywords::default();
        for keyword in keywords {
            let group: Vec<String> = match keyword.strip_prefix('@') {
                Some(name) => self
                    .0
                    .get(name)
                    .ok_or_else(|| {
                        format!(
                            "unknown family `@{name}` in keywords; known: {}",
                            self.names()
                        )
                    })?
                    .keywords
                    .clone(),
                None => vec![keyword.clone()],
            };
            for k in &group {
                if !out.all.contains(k) {
                    out.all.push(k.clone());
                }
            }
            out.groups.push(group);
        }
        Ok(out)
    }

    fn names(&self) -> String {
        self.0.keys().cloned().collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn families() -> Families {
        let mut f = Families::default();
        f.insert(FamilySpec {
            name: "instruction".into(),
            description: "d".into(),
            pattern: r"instructions?|directives?|weisung\w*".into(),
            keywords: vec!["instruction".into(), "directive".into(), "weisung".into()],
        })
        .unwrap();
        f
    }

    #[test]
    fn patterns_expand_to_groups() {
        let f = families();
        assert_eq!(
            f.expand_pattern(r"\bonly on documented {@instruction}\b")
                .unwrap(),
            r"\bonly on documented (?:instructions?|directives?|weisung\w*)\b"
        );
        assert_eq!(f.expand_pattern("a{2,3}").unwrap(), "a{2,3}");
        assert!(
            f.expand_pattern("{@nope}")
                .unwrap_err()
                .contains("unknown family")
        );
        assert!(
            f.expand_pattern("{@instruction")
                .unwrap_err()
                .contains("unclosed")
        );
    }

    #[test]
    fn keywords_expand_into_groups() {
        let f = families();
        let k = f
            .expand_keywords(&["@instruction".into(), "weisung".into(), "audit".into()])
            .unwrap();
        assert_eq!(k.all, vec!["instruction", "directive", "weisung", "audit"]);
        assert_eq!(k.groups.len(), 3);
        assert_eq!(k.groups[0].len(), 3);
        assert!(f.expand_keywords(&["@x".into()]).is_err());
    }

    #[test]
    fn malformed_families_are_refused() {
        let mut f = Families::default();
        let bad = |name: &str, pattern: &str| FamilySpec {
            name: name.into(),
            description: String::new(),
            pattern: pattern.into(),
            keywords: vec!["k".into()],
        };
        assert!(f.insert(bad("Upper", "a")).is_err());
        assert!(f.insert(bad("nested", "{@other}")).is_err());
        assert!(f.insert(bad("ok_1", "a|b")).is_ok());
    }
}
