//! The suggested clauses of the rule pack (`suggested_clause` of every rule and requirement,
//! proposed by `ampel letter`) are wording a vendor can adopt: run through the production
//! engine, none of them may raise a red flag that sets the light, and the clause proposed for a
//! missing requirement must be recognised as that requirement by its presence rules.

use ampel::assess::{Assessment, CheckStatus, FindingKind, assess};
use ampel::engine;
use ampel::rules::{Localised, MissingSeverity, Pack, Severity};
use ampel::text::Text;

/// `clause` assessed on its own, as the production engine reads a snippet.
fn assessed(pack: &Pack, clause: &str) -> Assessment {
    let text = Text::from_snippet(clause);
    let hits = engine::run(pack, &text);
    assess(pack, &text, &hits)
}

/// The red flags (severity yellow or red) that `text` raises, as rule ids: the findings of the
/// assessment, so that a flag the rest of the clause settles (`unless_document`) or a review-only
/// hit does not count, as in a report.
fn red_flags(pack: &Pack, text: &str) -> Vec<String> {
    assessed(pack, text)
        .findings
        .into_iter()
        .filter(|f| f.kind == FindingKind::RedFlag && f.severity > Severity::Info)
        .map(|f| f.rule)
        .collect()
}

fn both(clause: &Localised) -> [(&'static str, &str); 2] {
    [("de", clause.de.as_str()), ("en", clause.en.as_str())]
}

#[test]
fn no_suggested_clause_raises_a_red_flag() {
    let pack = Pack::embedded().expect("pack");
    let mut failures = Vec::new();
    let clauses = pack
        .rules
        .iter()
        .map(|r| (r.id.clone(), &r.suggested_clause))
        .chain(
            pack.requirements
                .iter()
                .map(|q| (format!("{}.missing", q.id), &q.suggested_clause)),
        );
    for (id, clause) in clauses {
        for (lang, text) in both(clause) {
            let flags = red_flags(&pack, text);
            if !flags.is_empty() {
                failures.push(format!("{id} ({lang}): raises {flags:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} suggested clauses would be flagged themselves:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_clause_for_a_missing_requirement_meets_it() {
    let pack = Pack::embedded().expect("pack");
    let mut failures = Vec::new();
    for q in &pack.requirements {
        if q.missing_severity == MissingSeverity::None {
            continue;
        }
        for (lang, clause) in both(&q.suggested_clause) {
            let status = assessed(&pack, clause)
                .checklist
                .iter()
                .find(|c| c.requirement == q.id)
                .map(|c| c.status);
            if status != Some(CheckStatus::Present) {
                failures.push(format!("{} ({lang}): {status:?}", q.id));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "suggested clauses not recognised as meeting their requirement:\n{}",
        failures.join("\n")
    );
}
