//! The rule catalogue (`patterns/README.md`), generated from a compiled pack so that it can
//! never drift from the rules: `ampel rules list --format markdown > patterns/README.md`.

use std::fmt::Write as _;

use super::{MissingSeverity, Pack, RuleKind};

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Renders the catalogue of `pack` as Markdown.
pub fn markdown(pack: &Pack) -> String {
    let mut out = String::new();
    let presence = pack
        .rules
        .iter()
        .filter(|r| r.kind == RuleKind::Presence)
        .count();
    let w = &mut out;
    let _ = writeln!(w, "# Rule catalogue");
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "Generated from the rule pack by `ampel rules list --format markdown`; do not edit by hand \
         (`cargo test` fails when this file is stale). {} requirements, {} rules ({} presence, {} red flags).",
        pack.requirements.len(),
        pack.rules.len(),
        presence,
        pack.rules.len() - presence
    );
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "A requirement with no presence hit is *missing*; a red-flag hit makes it *flagged*. \
         The rule file format and the matching semantics are described in the top-level README \
         (\"Writing a rule\"); `ampel rules show ID` prints one rule with its patterns."
    );
    let _ = writeln!(w);
    let _ = writeln!(w, "| requirement | legal basis | if missing | rules |");
    let _ = writeln!(w, "|---|---|---|---|");
    for (i, req) in pack.requirements.iter().enumerate() {
        let missing = match req.missing_severity {
            MissingSeverity::None => "no finding",
            MissingSeverity::Yellow if !req.missing_only_if.is_empty() => {
                "yellow (when transfers are mentioned)"
            }
            MissingSeverity::Yellow => "yellow",
            MissingSeverity::Red => "red",
        };
        let count = pack.rules.iter().filter(|r| r.requirement == i).count();
        let _ = writeln!(
            w,
            "| [`{}`](#{}) | {} | {} | {} |",
            req.id,
            req.id,
            cell(&req.legal_basis),
            missing,
            count
        );
    }
    for (i, req) in pack.requirements.iter().enumerate() {
        let _ = writeln!(w);
        let _ = writeln!(w, "## {}", req.id);
        let _ = writeln!(w);
        let _ = writeln!(
            w,
            "**{}** / **{}** — {}",
            req.title.en, req.title.de, req.legal_basis
        );
        let _ = writeln!(w);
        let _ = writeln!(w, "{}", req.explanation.en);
        let _ = writeln!(w);
        let _ = writeln!(w, "*{}*", req.explanation.de);
        let _ = writeln!(w);
        let _ = writeln!(
            w,
            "Suggested clause (when missing): {}",
            req.suggested_clause.en
        );
        let _ = writeln!(w);
        let _ = writeln!(
            w,
            "*Formulierungsvorschlag (wenn fehlend): {}*",
            req.suggested_clause.de
        );
        let rules: Vec<_> = pack.rules.iter().filter(|r| r.requirement == i).collect();
        if rules.is_empty() {
            let _ = writeln!(w);
            let _ = writeln!(w, "No rules yet.");
            continue;
        }
        let _ = writeln!(w);
        let _ = writeln!(w, "| rule | kind | severity | languages | title |");
        let _ = writeln!(w, "|---|---|---|---|---|");
        for r in &rules {
            let (kind, severity) = match r.kind {
                RuleKind::Presence => ("presence", "–"),
                RuleKind::RedFlag => ("red flag", r.severity.as_str()),
            };
            let langs: Vec<_> = r.languages.iter().map(|l| l.code()).collect();
            let _ = writeln!(
                w,
                "| `{}` | {} | {} | {} | {} |",
                r.id,
                kind,
                severity,
                langs.join(", "),
                cell(&r.title.en)
            );
        }
        for r in rules.iter().filter(|r| r.kind == RuleKind::RedFlag) {
            let _ = writeln!(w);
            let _ = writeln!(w, "### `{}`", r.id);
            let _ = writeln!(w);
            let _ = writeln!(
                w,
                "{} / {} ({}, {})",
                r.title.en,
                r.title.de,
                r.severity.as_str(),
                r.legal_basis
            );
            if let Some(why) = &r.rationale {
                let _ = writeln!(w);
                let _ = writeln!(w, "- Why: {}", why.en);
                let _ = writeln!(w, "- Warum: {}", why.de);
            }
            let _ = writeln!(w, "- Ask the vendor: {}", r.recommendation.en);
            let _ = writeln!(w, "- Empfehlung: {}", r.recommendation.de);
            let _ = writeln!(w, "- Suggested clause: {}", r.suggested_clause.en);
            let _ = writeln!(w, "- Formulierungsvorschlag: {}", r.suggested_clause.de);
        }
    }
    out
}
