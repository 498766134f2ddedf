//! Every example of every built-in rule, through the production engine. On failure the whole
//! list is printed, by rule and example ("missing" = silent on a fires example, "noisy" =
//! fired on a silent example).

use ampel::rules::{Pack, RuleKind};
use ampel::verify::verify;

#[test]
fn every_rule_example_behaves_as_stated() {
    let pack = Pack::embedded().unwrap_or_else(|e| panic!("the built-in pack is invalid:\n{e}"));
    let v = verify(&pack, |_| true);
    let report: Vec<String> = v.failures.iter().map(ToString::to_string).collect();
    assert!(
        report.is_empty(),
        "{} of {} rules have failures ({} examples run):\n{}",
        report.len(),
        v.rules,
        v.examples,
        report.join("\n")
    );
    assert!(
        v.examples >= 4 * v.rules,
        "every rule has at least 2 fires and 2 silent examples"
    );
}

/// The 12 requirements that can be missing each need a presence rule in German and in English,
/// or the checklist would report them missing in every document of that language.
#[test]
fn every_missable_requirement_has_presence_rules_in_both_languages() {
    let pack = Pack::embedded().unwrap();
    let mut gaps = Vec::new();
    for (i, req) in pack.requirements.iter().enumerate() {
        if req.missing_severity == ampel::rules::MissingSeverity::None {
            continue;
        }
        for lang in [ampel::text::Language::De, ampel::text::Language::En] {
            let covered = pack.rules.iter().any(|r| {
                r.requirement == i && r.kind == RuleKind::Presence && r.languages.contains(&lang)
            });
            if !covered {
                gaps.push(format!("{} ({})", req.id, lang.code()));
            }
        }
    }
    assert!(gaps.is_empty(), "no presence rule for: {}", gaps.join(", "));
}

#[test]
fn red_flag_families_of_the_foundation_exist_in_both_languages() {
    let pack = Pack::embedded().unwrap();
    let families = [
        "instructions",
        "own_purposes",
        "transfer_mechanism",
        "transfer_locations",
        "audits",
        "contract_changes",
    ];
    let mut gaps = Vec::new();
    for requirement in families {
        let i = pack
            .requirement_index(requirement)
            .expect("known requirement");
        for lang in [ampel::text::Language::De, ampel::text::Language::En] {
            let covered = pack.rules.iter().any(|r| {
                r.requirement == i && r.kind == RuleKind::RedFlag && r.languages.contains(&lang)
            });
            if !covered {
                gaps.push(format!("{requirement} ({})", lang.code()));
            }
        }
    }
    assert!(gaps.is_empty(), "no red-flag rule for: {}", gaps.join(", "));
}
