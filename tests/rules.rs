//! Every example of every built-in rule, through the production engine. On failure the whole
//! list is printed, by rule and example ("missing" = silent on a fires example, "noisy" =
//! fired on a silent example).

use std::path::Path;

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
    // Every rule and every example of the pack went through the engine.
    assert_eq!(v.rules, pack.rules.len());
    let stated: usize = pack
        .rules
        .iter()
        .map(|r| r.examples.fires.len() + r.examples.silent.len())
        .sum();
    assert_eq!(v.examples, stated);
    assert_eq!(v.validated, v.examples);
}

/// The check above can fail: a rule whose examples say the opposite of what it does is
/// reported, example by example, with the words of the rule-test vocabulary.
#[test]
fn a_rule_that_contradicts_its_examples_is_reported() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/contradicted-rule");
    let pack = Pack::with_dirs(&[dir]).unwrap_or_else(|e| panic!("{e}"));
    let v = verify(&pack, |r| r.id == "audits.contradicted");
    let problems: Vec<String> = v.failures.iter().map(ToString::to_string).collect();
    assert_eq!(v.rules, 1);
    assert_eq!(v.examples, 4);
    assert_eq!(v.validated, 0, "{problems:#?}");
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert_eq!(
        problems
            .iter()
            .filter(|p| p.contains("missing (silent on a fires example)"))
            .count(),
        2,
        "{problems:#?}"
    );
    assert_eq!(
        problems
            .iter()
            .filter(|p| p.contains("noisy (fired on a silent example)"))
            .count(),
        2,
        "{problems:#?}"
    );
    assert!(
        problems
            .iter()
            .all(|p| p.contains("audits.contradicted.toml: rule `audits.contradicted`")),
        "{problems:#?}"
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

/// Consent deemed once an objection period has run out is how a general authorisation works
/// under Art. 28(2) (LABELLING.md, settled points): the flag stays for review but sets no colour.
/// Consent deemed in advance, on publication, or after an objection the vendor may ignore is a
/// defect.
#[test]
fn deemed_consent_after_an_objection_period_is_for_review_only() {
    use ampel::engine;
    use ampel::text::Text;
    let pack = Pack::embedded().expect("pack");
    let deemed = |sentence: &str| -> Vec<bool> {
        let text = Text::from_snippet(sentence);
        engine::run(&pack, &text)
            .iter()
            .filter(|h| pack.rules[h.rule].id == "subprocessors.deemed-consent")
            .map(|h| h.review)
            .collect()
    };
    for review in [
        "Erfolgt kein Widerspruch innerhalb von 14 Tagen, gilt die Zustimmung zu dem neuen Unterauftragsverarbeiter als erteilt.",
        "If Customer does not object within ten days of the notice, Customer is deemed to have consented to the new sub-processor.",
        "Customer is deemed to have consented to the new subprocessor unless it objects within seven days.",
    ] {
        assert_eq!(deemed(review), vec![true], "{review}");
    }
    for defect in [
        "Die Beauftragung weiterer Subunternehmer gilt als genehmigt, sobald die Liste auf der Website aktualisiert wurde.",
        "If you do not object within the notice period, or if we decide not to address your objection, you are deemed to have approved the new Sub-processor.",
    ] {
        assert_eq!(deemed(defect), vec![false], "{defect}");
    }
}
