//! The colour logic, on a small pack written for these tests: which finding sets the Ampel,
//! what missing costs per requirement, transfers, placeholder annexes and not-a-DPA. The
//! rules are plain words, so each case reads as "this sentence is in the document".

use super::*;
use crate::engine;
use crate::rules::{Pack, Source};

/// The checklist of the test pack: `(id, missing severity, missing_only_if)`.
const REQUIREMENTS: &[(&str, &str, &str)] = &[
    ("dpa_present", "yellow", ""),
    ("processing_details", "yellow", ""),
    ("instructions", "yellow", ""),
    ("confidentiality", "yellow", ""),
    ("security_measures", "yellow", ""),
    ("audits", "yellow", ""),
    ("own_purposes", "none", ""),
    ("transfer_mechanism", "yellow", "third country"),
];

/// The rules of the test pack: `(id, kind and severity, the words that make it fire, extra)`.
const RULES: &[(&str, &str, &str, &str)] = &[
    ("dpa_present.label", "presence", "processing agreement", ""),
    (
        "processing_details.annex",
        "presence",
        "categories of data subjects",
        "",
    ),
    (
        "instructions.documented",
        "presence",
        "documented instructions",
        "",
    ),
    (
        "instructions.fees",
        "red_flag info",
        "fees for instructions",
        "",
    ),
    (
        "instructions.refusal",
        "red_flag yellow",
        "may refuse instructions",
        "review_if = ['unlawful']",
    ),
    ("confidentiality.staff", "presence", "confidentiality", ""),
    (
        "security_measures.toms",
        "presence",
        "security measures",
        "",
    ),
    ("audits.inspections", "presence", "inspections", ""),
    (
        "audits.certificates-only",
        "red_flag yellow",
        "certificates only",
        "",
    ),
    ("own_purposes.improve", "red_flag red", "own purposes", ""),
    ("transfer_mechanism.scc", "presence", "standard clauses", ""),
    (
        "transfer_mechanism.eu-only",
        "presence",
        "only in the EU",
        "",
    ),
    (
        "transfer_mechanism.invalid-tool",
        "red_flag red",
        "privacy shield",
        "",
    ),
    (
        "transfer_mechanism.hedged",
        "red_flag yellow",
        "clauses where applicable",
        "unless_document = ['module two']",
    ),
];

fn pack() -> Pack {
    let mut requirements = String::new();
    for (id, missing, only_if) in REQUIREMENTS {
        let only_if = if only_if.is_empty() {
            String::new()
        } else {
            format!("missing_only_if = ['{only_if}']\n")
        };
        requirements.push_str(&format!(
            "[[requirement]]\nid = \"{id}\"\nlegal_basis = \"Art. 28\"\nmissing_severity = \"{missing}\"\n{only_if}\
             title = {{ de = \"{id}\", en = \"{id}\" }}\nexplanation = {{ de = \"e\", en = \"e\" }}\n\
             recommendation = {{ de = \"r\", en = \"r\" }}\n\
             suggested_clause = {{ de = \"c\", en = \"c\" }}\n"
        ));
    }
    let mut sources = vec![Source {
        path: "test/requirements.toml".into(),
        text: requirements,
    }];
    for (id, kind, words, extra) in RULES {
        let requirement = id.split('.').next().unwrap_or_default();
        let kind = match kind.split_once(' ') {
            Some((kind, severity)) => format!("kind = \"{kind}\"\nseverity = \"{severity}\""),
            None => format!("kind = \"{kind}\""),
        };
        sources.push(Source {
            path: format!("test/{id}.toml"),
            text: format!(
                "id = \"{id}\"\nrequirement = \"{requirement}\"\n{kind}\nlanguages = [\"en\"]\n\
                 legal_basis = \"Art. 28\"\nkeywords = ['{words}']\npatterns = ['{words}']\n{extra}\n\
                 title = {{ de = \"t\", en = \"t\" }}\nrecommendation = {{ de = \"r\", en = \"r\" }}\n\
                 suggested_clause = {{ de = \"c\", en = \"c\" }}\n"
            ),
        });
    }
    sources.push(incorporations("audits.certificates-only"));
    Pack::from_sources(sources).unwrap_or_else(|e| panic!("the test pack is invalid:\n{e}"))
}

/// A `requirements.toml` with the one requirement `id`.
fn one_requirement(id: &str) -> Source {
    Source {
        path: "test/requirements.toml".into(),
        text: format!(
            "[[requirement]]\nid = \"{id}\"\nlegal_basis = \"Art. 28\"\n\
             missing_severity = \"yellow\"\ntitle = {{ de = \"t\", en = \"t\" }}\n\
             explanation = {{ de = \"e\", en = \"e\" }}\nrecommendation = {{ de = \"r\", en = \"r\" }}\n\
             suggested_clause = {{ de = \"c\", en = \"c\" }}\n"
        ),
    }
}

/// An `incorporations.toml` whose one incorporation ("clauses incorporated") covers audits and
/// settles the red flag `settles`.
fn incorporations(settles: &str) -> Source {
    Source {
        path: "test/incorporations.toml".into(),
        text: format!(
            "[[incorporation]]\nname = \"scc\"\nrequirements = [\"audits\"]\nlanguages = [\"en\"]\n\
             legal_basis = \"Clause 8.9\"\nkeywords = ['clauses incorporated']\n\
             patterns = ['clauses incorporated']\nsettles = [\"{settles}\"]\n\
             [incorporation.title]\nde = \"t\"\nen = \"t\"\n[incorporation.rationale]\nde = \"r\"\nen = \"r\"\n\
             [incorporation.recommendation]\nde = \"r\"\nen = \"r\"\n\
             [incorporation.suggested_clause]\nde = \"c\"\nen = \"c\"\n"
        ),
    }
}

/// A processor contract in which every Art. 28 clause of the test pack is present.
const COMPLETE: &str = "This processing agreement binds the processor. \
    Annex 1 lists the categories of data subjects. \
    The processor acts on documented instructions. \
    Its staff are bound to confidentiality. \
    It maintains security measures. \
    The customer may carry out inspections.";

fn assess_text(text: &str) -> Assessment {
    let pack = pack();
    let text = Text::from_snippet(text);
    let hits = engine::run(&pack, &text);
    assess(&pack, &text, &hits)
}

/// `COMPLETE` followed by `extra` sentences.
fn with(extra: &str) -> Assessment {
    assess_text(&format!("{COMPLETE} {extra}"))
}

fn item<'a>(a: &'a Assessment, requirement: &str) -> &'a CheckItem {
    a.checklist
        .iter()
        .find(|c| c.requirement == requirement)
        .unwrap_or_else(|| panic!("no checklist item {requirement}"))
}

fn status(a: &Assessment, requirement: &str) -> CheckStatus {
    item(a, requirement).status
}

/// `(rule, severity)` of every finding, in report order.
fn findings(a: &Assessment) -> Vec<(&str, Severity)> {
    a.findings
        .iter()
        .map(|f| (f.rule.as_str(), f.severity))
        .collect()
}

#[test]
fn a_complete_agreement_is_green_with_one_item_per_requirement() {
    let a = with("");
    assert_eq!(a.ampel, Ampel::Green, "{:?}", findings(&a));
    assert!(a.findings.is_empty(), "{:?}", findings(&a));
    let ids: Vec<&str> = a.checklist.iter().map(|c| c.requirement.as_str()).collect();
    let expected: Vec<&str> = REQUIREMENTS.iter().map(|r| r.0).collect();
    assert_eq!(ids, expected, "checklist order is the pack's");
    assert_eq!(status(&a, "audits"), CheckStatus::Present);
    assert!(!a.not_a_dpa);
}

#[test]
fn the_worst_finding_wins() {
    let cases = [
        ("The customer receives certificates only.", Ampel::Yellow),
        (
            "The processor uses the data for its own purposes.",
            Ampel::Red,
        ),
        (
            "The customer receives certificates only. The processor uses the data for its own purposes.",
            Ampel::Red,
        ),
    ];
    for (extra, ampel) in cases {
        let a = with(extra);
        assert_eq!(a.ampel, ampel, "{extra}: {:?}", findings(&a));
    }
    let a = with(cases[2].0);
    assert_eq!(
        findings(&a),
        vec![
            ("own_purposes.improve", Severity::Red),
            ("audits.certificates-only", Severity::Yellow),
        ],
        "findings are sorted worst first"
    );
}

#[test]
fn the_number_of_findings_never_escalates() {
    let a = with(
        "The customer receives certificates only. The processor may refuse instructions. \
         Audit reports are certificates only.",
    );
    assert_eq!(a.ampel, Ampel::Yellow, "{:?}", findings(&a));
    // Two findings (one per rule), the audit rule with both quotes.
    assert_eq!(a.findings.len(), 2, "{:?}", findings(&a));
    let audits = a
        .findings
        .iter()
        .find(|f| f.rule == "audits.certificates-only")
        .expect("audit finding");
    assert_eq!(audits.evidence.len(), 2);
}

#[test]
fn a_red_flag_flags_its_requirement_even_when_the_clause_is_present() {
    let a = with("The customer receives certificates only.");
    assert_eq!(status(&a, "audits"), CheckStatus::Flagged);
    // The checklist shows the quote that undermines the clause, not the presence quote.
    let evidence = &item(&a, "audits").evidence;
    assert_eq!(evidence.len(), 1);
    assert!(
        evidence[0].quote.contains("certificates only"),
        "{evidence:?}"
    );
}

#[test]
fn info_never_changes_the_colour_or_the_checklist() {
    // A red flag of severity info, and a yellow flag downgraded by its review_if qualifier.
    for extra in [
        "The processor charges fees for instructions.",
        "The processor may refuse instructions that are unlawful.",
    ] {
        let a = with(extra);
        assert_eq!(a.ampel, Ampel::Green, "{extra}: {:?}", findings(&a));
        assert_eq!(
            a.findings.iter().map(|f| f.severity).collect::<Vec<_>>(),
            vec![Severity::Info],
            "{extra}"
        );
        assert_eq!(a.findings[0].kind, FindingKind::RedFlag);
        assert!(!a.findings[0].evidence.is_empty());
        assert_eq!(status(&a, "instructions"), CheckStatus::Present, "{extra}");
    }
    // Next to a yellow finding, info leaves the Ampel at yellow.
    let a = with(
        "The processor charges fees for instructions. The customer receives certificates only.",
    );
    assert_eq!(a.ampel, Ampel::Yellow, "{:?}", findings(&a));
}

#[test]
fn a_missing_clause_costs_what_its_requirement_says() {
    let a = assess_text(&COMPLETE.replace("The customer may carry out inspections.", ""));
    assert_eq!(status(&a, "audits"), CheckStatus::Missing);
    assert_eq!(a.ampel, Ampel::Yellow);
    let missing = &a.findings[0];
    assert_eq!(
        (missing.rule.as_str(), missing.kind, missing.severity),
        ("audits.missing", FindingKind::Missing, Severity::Yellow)
    );
    assert!(missing.evidence.is_empty());
    assert_eq!(missing.title.en, "audits", "the requirement's title");
}

#[test]
fn flag_only_requirements_cost_nothing_when_missing() {
    // own_purposes has no presence rule in the test pack: it is always missing.
    let a = with("");
    assert_eq!(status(&a, "own_purposes"), CheckStatus::Missing);
    assert!(a.findings.iter().all(|f| f.requirement != "own_purposes"));
    assert_eq!(a.ampel, Ampel::Green);
    // …and only their red flags count.
    let a = with("The processor uses the data for its own purposes.");
    assert_eq!(status(&a, "own_purposes"), CheckStatus::Flagged);
    assert_eq!(a.ampel, Ampel::Red);
}

#[test]
fn transfers() {
    // No transfers stated: no tool is needed, so nothing is missing.
    let a = with("");
    assert_eq!(status(&a, "transfer_mechanism"), CheckStatus::Missing);
    assert!(
        a.findings
            .iter()
            .all(|f| f.requirement != "transfer_mechanism"),
        "{:?}",
        findings(&a)
    );
    // Data kept in the EU: the requirement is met.
    let a = with("The data is stored only in the EU.");
    assert_eq!(status(&a, "transfer_mechanism"), CheckStatus::Present);
    assert_eq!(a.ampel, Ampel::Green);
    // Transfers with no tool named: yellow.
    let a = with("Support staff in a third country may access the data.");
    assert_eq!(a.ampel, Ampel::Yellow, "{:?}", findings(&a));
    assert_eq!(
        findings(&a),
        vec![("transfer_mechanism.missing", Severity::Yellow)]
    );
    // Transfers with a valid tool: met.
    let a = with("Transfers to a third country rest on the standard clauses.");
    assert_eq!(status(&a, "transfer_mechanism"), CheckStatus::Present);
    assert_eq!(a.ampel, Ampel::Green);
    // An invalid tool: red, even next to a valid one.
    let a = with(
        "Transfers to a third country rest on the standard clauses and on the Privacy Shield.",
    );
    assert_eq!(status(&a, "transfer_mechanism"), CheckStatus::Flagged);
    assert_eq!(a.ampel, Ampel::Red);
}

#[test]
fn unless_document_settles_a_flag_from_anywhere_in_the_agreement() {
    let hedged = "Transfers to a third country use standard clauses where applicable.";
    let a = with(hedged);
    assert_eq!(
        findings(&a),
        vec![("transfer_mechanism.hedged", Severity::Yellow)]
    );
    assert_eq!(status(&a, "transfer_mechanism"), CheckStatus::Flagged);
    // The same sentence, with the module named elsewhere: the flag is settled, the clause stays.
    let a = with(&format!("{hedged} Annex 3 chooses Module Two."));
    assert!(a.findings.is_empty(), "{:?}", findings(&a));
    assert_eq!(a.ampel, Ampel::Green);
    assert_eq!(status(&a, "transfer_mechanism"), CheckStatus::Present);
}

#[test]
fn unless_document_is_for_red_flags_only() {
    let source = Source {
        path: "test/instructions.x.toml".into(),
        text: "id = \"instructions.x\"\nrequirement = \"instructions\"\nkind = \"presence\"\n\
               languages = [\"en\"]\nlegal_basis = \"Art. 28\"\nkeywords = ['x']\npatterns = ['x']\n\
               unless_document = ['y']\ntitle = { de = \"t\", en = \"t\" }\n\
               recommendation = { de = \"r\", en = \"r\" }\nsuggested_clause = { de = \"c\", en = \"c\" }\n"
            .into(),
    };
    let sources = vec![one_requirement("instructions"), source];
    let error = Pack::from_sources(sources).expect_err("a presence rule with unless_document");
    assert!(
        error
            .to_string()
            .contains("unless_document is for red flags only"),
        "{error}"
    );
}

#[test]
fn a_placeholder_annex_counts_as_missing() {
    let filled = "Annex 1 lists the categories of data subjects.";
    let doc = |annex: &str| {
        format!(
            "1. Subject\n{}\n\n2. Annex 1\n{annex}\n",
            COMPLETE.replace(filled, "")
        )
    };
    let a = assess_text(&doc("The categories of data subjects are customers."));
    assert_eq!(status(&a, "processing_details"), CheckStatus::Present);
    for placeholder in ["[●]", "TBD", "[insert]"] {
        let a = assess_text(&doc(&format!(
            "The categories of data subjects are {placeholder}."
        )));
        assert_eq!(
            status(&a, "processing_details"),
            CheckStatus::Missing,
            "{placeholder}"
        );
        assert!(
            findings(&a).contains(&("processing_details.missing", Severity::Yellow)),
            "{placeholder}: {:?}",
            findings(&a)
        );
    }
}

#[test]
fn not_a_dpa_needs_too_few_clauses_for_its_label() {
    let label = "This processing agreement binds the processor.";
    let clauses = [
        "The processor acts on documented instructions.",
        "Its staff are bound to confidentiality.",
        "It maintains security measures.",
        "The customer may carry out inspections.",
    ];
    // (labelled, clauses, not a DPA): a label needs 2 clauses, no label needs 4.
    let cases = [
        (true, 1, true),
        (true, 2, false),
        (false, 3, true),
        (false, 4, false),
    ];
    for (labelled, n, not_a_dpa) in cases {
        let mut text = clauses[..n].join(" ");
        if labelled {
            text = format!("{label} {text}");
        }
        let a = assess_text(&text);
        assert_eq!(a.labelled, labelled, "{text}");
        assert_eq!(a.addressed, n, "{text}");
        assert_eq!(a.not_a_dpa, not_a_dpa, "{text}");
    }
}

#[test]
fn flag_only_requirements_do_not_make_a_text_a_dpa() {
    // Red flags of requirements that cost nothing when missing (own purposes) and a transfer
    // tool are no Art. 28 clauses: a privacy notice that has them is still no contract.
    let a = assess_text(
        "We use the data for our own purposes. Transfers rest on the standard clauses. \
         Staff are bound to confidentiality.",
    );
    assert_eq!(status(&a, "own_purposes"), CheckStatus::Flagged);
    // Confidentiality only: the transfer point costs something only where transfers are stated
    // (`missing_only_if`), so it is no Art. 28 clause either.
    assert_eq!(status(&a, "transfer_mechanism"), CheckStatus::Present);
    assert_eq!(a.addressed, 1, "confidentiality");
    assert!(a.not_a_dpa);
}

#[test]
fn an_incorporation_makes_the_red_flags_it_settles_notes() {
    let weak = "This processing agreement lets the processor answer audits with certificates only.";
    let a = with(weak);
    assert_eq!(
        findings(&a),
        vec![("audits.certificates-only", Severity::Yellow)]
    );
    assert_eq!(status(&a, "audits"), CheckStatus::Flagged);
    // The same clause where the incorporated clauses govern audits: a note, and audits present.
    let a = with(&format!(
        "{weak} The standard clauses incorporated prevail."
    ));
    assert_eq!(
        findings(&a),
        vec![("audits.certificates-only", Severity::Info)]
    );
    assert_eq!(status(&a, "audits"), CheckStatus::Present);
}

#[test]
fn an_incorporation_settles_only_red_flags_of_the_pack() {
    let sources = vec![
        one_requirement("audits"),
        incorporations("audits.no-such-rule"),
    ];
    let error = Pack::from_sources(sources).expect_err("an unknown settled rule");
    assert!(
        error
            .to_string()
            .contains("settles `audits.no-such-rule`, which is no red-flag rule of the pack"),
        "{error}"
    );
}

/// A pack whose `assistance` has two parts, the first also shown by a `breach` clause.
fn pack_with_parts(shown_by: &str) -> Result<Pack, String> {
    let requirement = |id: &str, elements: &str| {
        format!(
            "[[requirement]]\nid = \"{id}\"\nlegal_basis = \"Art. 28\"\nmissing_severity = \"yellow\"\n\
             title = {{ de = \"t\", en = \"t\" }}\nexplanation = {{ de = \"e\", en = \"e\" }}\n\
             recommendation = {{ de = \"r\", en = \"r\" }}\nsuggested_clause = {{ de = \"c\", en = \"c\" }}\n{elements}"
        )
    };
    let elements = format!(
        "[[requirement.element]]\nid = \"breach_help\"\nshown_by = [\"{shown_by}\"]\n\
         title = {{ de = \"b\", en = \"b\" }}\n\
         [[requirement.element]]\nid = \"dpia\"\ntitle = {{ de = \"d\", en = \"d\" }}\n"
    );
    let rule = |id: &str, words: &str, element: &str| Source {
        path: format!("test/{id}.toml"),
        text: format!(
            "id = \"{id}\"\nrequirement = \"{}\"\nkind = \"presence\"\nlanguages = [\"en\"]\n\
             legal_basis = \"Art. 28\"\n{element}keywords = ['{words}']\npatterns = ['{words}']\n\
             title = {{ de = \"t\", en = \"t\" }}\nrecommendation = {{ de = \"r\", en = \"r\" }}\n\
             suggested_clause = {{ de = \"c\", en = \"c\" }}\n",
            id.split('.').next().unwrap_or_default()
        ),
    };
    Pack::from_sources(vec![
        Source {
            path: "test/requirements.toml".into(),
            text: requirement("assistance", &elements) + &requirement("breach", ""),
        },
        rule(
            "assistance.dpia",
            "impact assessments",
            "element = \"dpia\"\n",
        ),
        rule(
            "assistance.breach",
            "helps with breaches",
            "element = \"breach_help\"\n",
        ),
        rule("breach.notice", "notifies breaches", ""),
    ])
    .map_err(|e| e.to_string())
}

#[test]
fn a_part_is_shown_by_another_requirements_clause_once_the_requirement_is_found() {
    let pack = pack_with_parts("breach").expect("valid pack");
    let run = |words: &str| {
        let text = Text::from_snippet(words);
        let hits = engine::run(&pack, &text);
        let a = assess(&pack, &text, &hits);
        let item = item(&a, "assistance").clone();
        let missing: Vec<String> = item.missing_elements.iter().map(|e| e.id.clone()).collect();
        (item.status, missing)
    };
    assert_eq!(
        run("It helps with impact assessments. It notifies breaches."),
        (CheckStatus::Present, vec![])
    );
    assert_eq!(
        run("It helps with impact assessments."),
        (CheckStatus::Missing, vec!["breach_help".to_string()])
    );
    // The other clause alone finds nothing of this requirement.
    assert_eq!(run("It notifies breaches."), (CheckStatus::Missing, vec![]));
    assert_eq!(
        run("It notifies breaches. It helps with breaches."),
        (CheckStatus::Missing, vec!["dpia".to_string()])
    );
}

#[test]
fn shown_by_must_name_another_requirement() {
    for wrong in ["assistance", "nowhere"] {
        let err = pack_with_parts(wrong).expect_err("invalid pack");
        assert!(err.contains("shown_by names"), "{err}");
    }
}

#[test]
fn a_missing_finding_names_the_label_lines_it_looked_under() {
    let text = Text::from_snippet(
        "## 3. Subject matter\n\nThe provider hosts data.\n\n**Categories of Data Subjects:**\n\nSee the order form for the scope.\n\nSecurity\n\nAccess is logged.",
    );
    let headings = [crate::rules::Pattern::new(
        r"\b(subject\smatter|data\ssubjects)\b",
    )];
    assert_eq!(
        looked_in(&text, &headings),
        vec!["3. Subject matter", "Categories of Data Subjects"]
    );
}
