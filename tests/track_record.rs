//! The track record shown next to each finding (`corpus/real/track_record.toml`): it names only
//! checks of the built-in pack, it is attached to every red or yellow finding of a built-in
//! check that has one and to no review note, and a rule loaded from `--rules` never borrows the
//! record of the built-in rule whose id it takes over.

use std::collections::BTreeSet;
use std::path::Path;

use ampel::batch::analyse_bytes;
use ampel::report::wire::{DocumentRecord, record};
use ampel::rules::{Pack, track};

const DOCUMENT: &str = "corpus/src/en-yellow-fleettrack.md";

fn scan(pack: &Pack, path: &str) -> DocumentRecord {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let bytes = std::fs::read(&path).expect("read document");
    record(
        &analyse_bytes(&path.display().to_string(), &path, &bytes, pack),
        None,
    )
}

#[test]
fn every_id_of_the_table_is_a_check_of_the_built_in_pack() {
    let pack = Pack::embedded().expect("built-in pack");
    let ids = track::ids().expect("the committed track record reads");
    assert!(!ids.is_empty(), "the track record lists no check");
    let checks: BTreeSet<String> = pack
        .rules
        .iter()
        .map(|r| r.id.clone())
        .chain(
            pack.requirements
                .iter()
                .map(|r| format!("{}.missing", r.id)),
        )
        .collect();
    let unknown: Vec<&String> = ids.iter().filter(|id| !checks.contains(*id)).collect();
    assert!(
        unknown.is_empty(),
        "track record names checks the pack does not have (regenerate it, see src/rules/track.rs): {unknown:?}"
    );
}

#[test]
fn findings_of_built_in_checks_carry_their_record_and_notes_none() {
    let pack = Pack::embedded().expect("built-in pack");
    let doc = scan(&pack, DOCUMENT);
    assert!(!doc.findings.is_empty(), "{DOCUMENT} has findings");
    let mut carried = 0;
    for f in &doc.findings {
        let got = f.track_record.as_ref().map(|t| (t.agreements, t.confirmed));
        let want = match f.severity.as_str() {
            "info" => None,
            _ => track::of(&f.rule).map(|t| (t.agreements, t.confirmed)),
        };
        assert_eq!(got, want, "{}", f.rule);
        if let Some(t) = &f.track_record {
            assert_eq!(t.measured, track::measured());
            assert!(t.confirmed <= t.agreements);
            carried += 1;
        }
    }
    assert!(carried > 0, "no finding of {DOCUMENT} has a track record");
}

#[test]
fn a_rule_from_a_rules_folder_does_not_borrow_the_built_in_record() {
    let built_in = Pack::embedded().expect("built-in pack");
    let doc = scan(&built_in, DOCUMENT);
    let taken = doc
        .findings
        .iter()
        .find(|f| f.kind == "red_flag" && f.track_record.is_some())
        .expect("a red flag with a track record")
        .rule
        .clone();
    // The same rule, changed only by a comment, from a folder of the user's.
    let source = Pack::embedded_sources()
        .into_iter()
        .find(|s| {
            Path::new(&s.path)
                .file_stem()
                .is_some_and(|stem| stem.to_string_lossy() == taken)
        })
        .expect("the rule's built-in file");
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join(format!("{taken}.toml")),
        format!("# the user's copy\n{}", source.text),
    )
    .expect("write rule");
    let pack = Pack::with_dirs(&[dir.path().to_path_buf()]).expect("pack with the user's rule");
    let doc = scan(&pack, DOCUMENT);
    let mine = doc
        .findings
        .iter()
        .find(|f| f.rule == taken)
        .expect("the user's rule still fires");
    assert_eq!(mine.track_record, None, "{taken} from --rules");
    assert!(
        doc.findings
            .iter()
            .any(|f| f.rule != taken && f.track_record.is_some()),
        "the other built-in checks keep theirs"
    );
}
