//! Engine: a compiled rule pack applied to one document's text gives hits.
//!
//! One pass of the aho-corasick automaton over the whole text finds every keyword (overlapping)
//! and marks (rule, scope) candidates; only there do the rule's regexes run. A regex match
//! becomes a hit after the checks of docs/legal.md §5: `unless` vetoes, definitions, placeholder
//! sections (presence only), negation with re-opening exceptions, `review_if` qualifiers and
//! deadline thresholds. Matching is linear in the text and nearly flat in the number of rules.

use std::collections::BTreeSet;

use rayon::prelude::*;
use regex_automata::util::captures::Captures;

use crate::rules::pattern::Haystack;
use crate::rules::{Occurrences, Pack, Pattern, Rule, RuleKind, Scope as RuleScope, factors};
use crate::text::AsciiFirst;
use crate::text::Text;
use crate::text::coded::{Coded, CodedScope};
use crate::text::item_number;

/// One confirmed match of one rule. Offsets and the sentence index are 32-bit, as the text's
/// map back to the original keeps them: a huge document has hundreds of thousands of hits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index into [`Pack::rules`].
    pub rule: usize,
    /// The matched bytes in the normalised text.
    pub start: u32,
    /// End of the match.
    pub end: u32,
    /// The sentence that holds the match start.
    pub sentence: u32,
    /// The hit is only for human review (a `review_if` qualifier matched).
    pub review: bool,
}

impl Hit {
    /// The matched bytes of the normalised text, as a range to slice it with.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The index of the sentence that holds the match start, into [`Text::sentences`].
    pub fn sentence_index(&self) -> usize {
        self.sentence as usize
    }
}

const NEGATORS: &[&str] = &[
    "nicht",
    "kein",
    "keine",
    "keinen",
    "keiner",
    "keinem",
    "keines",
    "niemals",
    "nie",
    "weder",
    "keinerlei",
    "keinesfalls",
    "not",
    "never",
    "no",
    "neither",
    "nor",
    "none",
    // Prohibitions negate what they govern ("prohibits the use of Student Data for …", "ist
    // untersagt, die Daten … zu nutzen").
    "prohibit",
    "prohibits",
    "prohibited",
    "forbid",
    "forbids",
    "forbidden",
    "refrain",
    "refrains",
    "untersagt",
    "verbietet",
    "verboten",
    "unterlaesst",
];

static EXCEPTION: AsciiFirst = AsciiFirst::new(
    r"(?i)\b(es sei denn|ausser|ausgenommen|mit ausnahme|unless|except|with the exception of|other than|save (where|as|for))\b",
);

/// An exception that only repeats the controller's control ("unless instructed by the
/// Customer", "es sei denn, Unionsrecht verpflichtet"), a legal duty ("unless required by
/// law", "unless required to do so by law") or this contract itself ("ausser dieser Vertrag …
/// sieht es vor") does not re-open a negated flag. "Unless permitted by law" does: it opens
/// the door to whatever the law allows.
static BENIGN_EXCEPTION: AsciiFirst = AsciiFirst::new(
    r"(?i)^\W*(\w+\W+){0,6}?(instruct|weisung|anweisung|union|member state|mitgliedstaat|documented|dokumentiert|zustimmung des (kunden|verantwortlichen|auftraggebers)|(customer|controller)'?s? (prior )?(written )?(consent|approval|instruction)|(dieser|diesem|dieses|this) (vertrag|vereinbarung|agreement|dpa|addendum)\b|required (to do so )?by|gesetzlich\w* (vorgeschrieben|verpflichtet|erforderlich)|(law|gesetz) (requires|mandates|schreibt))",
);

static UNIT_HOURS: AsciiFirst = AsciiFirst::new(r"(?i)^(stunde|hour|std|h\b)");
static UNIT_WEEKS: AsciiFirst = AsciiFirst::new(r"(?i)^(woche|week)");
static UNIT_DAYS: AsciiFirst = AsciiFirst::new(r"(?i)(tag|day|werktag|arbeitstag|business day)");

/// Runs every rule of `pack` over `text` and returns the hits, sorted by rule then position.
pub fn run(pack: &Pack, text: &Text) -> Vec<Hit> {
    let heavy = pack.heavy_use(text.flat.len());
    let by_rule = candidates(pack, text, heavy);
    let coded = Coded::new(&text.flat);
    // Light use looks literals up in a lower-cased copy instead of building automata; heavy
    // use finds every rule's literals in one pass over the text.
    let lower = (!heavy).then(|| text.flat.to_ascii_lowercase());
    let occurrences = heavy
        .then(|| pack.literal_occurrences(&text.flat))
        .flatten();
    // Normalised text is plain; whether a text is, is checked once, not per scope.
    let plain = factors::plain(&text.flat);
    // A rule's hits depend only on its own scopes (one hit per sentence and rule), so rules
    // run in parallel: a single agreement's start-up is mostly the first searches building
    // each selected pattern's automata, which no longer happen one after the other. The sort
    // restores the order, and rayon's collect keeps the rules' order, so hits are unchanged.
    let search = Search {
        pack,
        text,
        coded: &coded,
        lower: lower.as_deref(),
        occurrences: occurrences.as_ref(),
        plain,
    };
    let mut hits: Vec<Hit> = by_rule
        .par_iter()
        .flat_map_iter(|(rule_index, scopes)| search.rule_hits(*rule_index, scopes))
        .collect();
    hits.sort_by_key(|h| (h.rule, h.start));
    hits
}

/// What the search of one document shares between the rules it runs in parallel.
struct Search<'a> {
    pack: &'a Pack,
    text: &'a Text,
    coded: &'a Coded<'a>,
    /// The text lower-cased, for a light document's literal look-ups.
    lower: Option<&'a str>,
    /// Where a heavy document holds the pack's literals.
    occurrences: Option<&'a Occurrences<'a>>,
    /// Whether the text is plain (see [`factors::plain`]).
    plain: bool,
}

impl Search<'_> {
    /// The hits of one rule in its candidate scopes, at most one per sentence.
    fn rule_hits(&self, rule_index: usize, scopes: &[Candidate]) -> Vec<Hit> {
        let (pack, text, coded, plain) = (self.pack, self.text, self.coded, self.plain);
        let mut hits = Vec::new();
        let mut seen: BTreeSet<usize> = BTreeSet::new();
        let rule = &pack.rules[rule_index];
        let literals = rule.literals();
        let patterns = rule.patterns.len();
        let also_from = patterns + rule.unless.len();
        // Captures only where the deadline needs them: finding is cheaper.
        let deadline = rule.deadline_over_hours.is_some();
        for &(start, end) in scopes {
            let (start, end) = (start as usize, end as usize);
            let scope = Scope::new(&text.flat, coded, start, end);
            // Regexes whose required literals the scope lacks cannot match there.
            let present = match (self.lower, self.occurrences) {
                (Some(lower), _) => literals.present_in_lower(&lower[start..end], plain),
                (None, Some(occurrences)) => occurrences.present(rule_index, start, end),
                (None, None) => literals.present_in_plain(scope.text, plain),
            };
            if !(0..patterns).any(|i| literals.possible(present, i)) {
                continue;
            }
            // A veto anywhere in the scope ends the rule there, except in a sentence that is a
            // list: there a veto counts only next to the match, in the lead-in or the match's own
            // item ("will inform the Customer of: * requests by law enforcement …; * inquiries by
            // a supervisory authority": the second item vetoes nothing in the first).
            let vetoed = rule.unless.iter().enumerate().any(|(i, re)| {
                literals.possible(present, patterns + i) && re.is_match_in(scope.haystack(re).0)
            });
            let list = rule.scope == RuleScope::Sentence && is_list(scope.text);
            let vetoed_per_item = vetoed && list;
            // In a list a red flag's concepts, too, belong to the match's own item or the
            // lead-in: "- (a) … transfers to third countries … - (b) persons authorised to
            // process …" holds no permission to transfer. (A clause that is present may spread
            // over the items: a duty in the lead-in, its object in an item.)
            let per_item_also = list && rule.at_least > 0 && rule.kind == RuleKind::RedFlag;
            // A rule may ask that its concepts stand nowhere in another item of the match's own
            // list (`also_in_item`): "Podex shall: - Implement … measures - Assist Customer with
            // impact assessments" assists with impact assessments only, while the rest of the
            // scope (the heading, the sentences around) still counts.
            let beside_also = rule.also_in_item && rule.at_least > 0 && !per_item_also;
            if vetoed && !vetoed_per_item {
                continue;
            }
            // Order-free concepts: at least `at_least` of `also` somewhere in the scope (or, with
            // `also_in_headings`, in the headings over its sentence).
            // The headings are read only for a concept the scope lacks.
            let in_headings = |re: &Pattern| {
                rule.also_in_headings
                    && text
                        .sentence_at(start)
                        .is_some_and(|s| text.headings_at(s).any(|h| re.is_match(h)))
            };
            if rule.at_least > 0
                && rule
                    .also
                    .iter()
                    .enumerate()
                    .filter(|(i, re)| {
                        (literals.possible(present, also_from + i)
                            && re.is_match_in(scope.haystack(re).0))
                            || in_headings(re)
                    })
                    .take(rule.at_least)
                    .count()
                    < rule.at_least
            {
                continue;
            }
            for (i, pattern) in rule.patterns.iter().enumerate() {
                if !literals.possible(present, i) {
                    continue;
                }
                let mut matches: Vec<(usize, usize, Option<Deadline>)> = Vec::new();
                let (haystack, coded) = scope.haystack(pattern);
                pattern.for_each_match_in(haystack, deadline, |m, caps| {
                    let flat = |at| scope.to_flat(at, coded);
                    let hours =
                        caps.map(|c| deadline_hours(c, |g| &text.flat[flat(g.start)..flat(g.end)]));
                    matches.push((flat(m.start), flat(m.end), hours));
                });
                for (ms, me, deadline) in matches {
                    let Some(sentence) = text.sentence_at(ms) else {
                        continue;
                    };
                    if seen.contains(&sentence) {
                        continue;
                    }
                    if !accept(rule, text, sentence, ms, me, deadline) {
                        continue;
                    }
                    let s = &text.sentences[sentence];
                    let sentence_text = &text.flat[s.start..s.end];
                    // Only a veto per item, a concept per item or a qualifier reads the text
                    // near the match.
                    let near = (vetoed_per_item
                        || per_item_also
                        || beside_also
                        || !rule.review_if.is_empty())
                    .then(|| near_match(sentence_text, ms - s.start, me.min(s.end) - s.start));
                    let near = near.as_deref().unwrap_or(sentence_text);
                    if vetoed_per_item && rule.unless.iter().any(|re| re.is_match(near)) {
                        continue;
                    }
                    if per_item_also && !has_concepts(rule, near) {
                        continue;
                    }
                    // The scope with the match's own list sentence cut to its item and lead-in.
                    if beside_also && near.len() < sentence_text.len() {
                        let around = format!(
                            "{} {near} {}",
                            &text.flat[start..s.start.max(start)],
                            &text.flat[s.end.min(end)..end.max(s.end)]
                        );
                        if !has_concepts(rule, &around) {
                            continue;
                        }
                    }
                    let review = rule.review_if.iter().any(|r| r.is_match(near));
                    seen.insert(sentence);
                    hits.push(Hit {
                        rule: rule_index,
                        start: ms as u32,
                        end: me as u32,
                        sentence: sentence as u32,
                        review,
                    });
                }
            }
        }
        hits
    }
}

/// Whether at least `at_least` of the rule's `also` concepts occur in `text`.
fn has_concepts(rule: &Rule, text: &str) -> bool {
    rule.also
        .iter()
        .filter(|re| re.is_match(text))
        .take(rule.at_least)
        .count()
        >= rule.at_least
}

/// One candidate scope: its text, and its coded form where it has one.
struct Scope<'a> {
    text: &'a str,
    start: usize,
    coded: &'a Coded<'a>,
    coded_scope: Option<CodedScope<'a>>,
}

impl<'a> Scope<'a> {
    fn new(flat: &'a str, coded: &'a Coded<'a>, start: usize, end: usize) -> Scope<'a> {
        Scope {
            text: &flat[start..end],
            start,
            coded,
            coded_scope: coded.scope(start, end),
        }
    }

    /// The haystack `pattern` reads — the coded scope where the pattern can read it
    /// ([`Pattern::reads_coded_scope`]) — and whether it is the coded one.
    fn haystack(&self, pattern: &Pattern) -> (Haystack<'a>, bool) {
        match self.coded_scope {
            Some(c) if pattern.reads_coded_scope(&c) => (Haystack::Coded(c.bytes), true),
            _ => (Haystack::Text(self.text), false),
        }
    }

    /// The flat offset of offset `at` in the (coded or text) haystack.
    fn to_flat(&self, at: usize, coded: bool) -> usize {
        match self.coded_scope {
            Some(c) if coded => self.coded.to_flat(c.offset + at),
            _ => self.start + at,
        }
    }
}

/// A candidate scope, as a byte range of the flat text in 32 bits (as the text's map back to
/// the original keeps its offsets): a huge document has millions of them, and this halves
/// what they take.
type Candidate = (u32, u32);

/// Each rule with a keyword in the text and the byte ranges of its scopes that contain one,
/// sorted and distinct; rules in pack order.
///
/// Every keyword occurrence names a scope per rule; consecutive occurrences mostly name the
/// same one (a keyword family matches several times in one sentence), so a scope is kept only
/// when it differs from the rule's last, and the few repeats that are not consecutive go in
/// the final sort. The containing sentence and section are looked up once per sentence.
fn candidates(pack: &Pack, text: &Text, heavy: bool) -> Vec<(usize, Vec<Candidate>)> {
    let mut per_rule: Vec<Vec<Candidate>> = vec![Vec::new(); pack.rules.len()];
    // A chapter is worked out once per section, not once per keyword in it.
    let mut chapters: Vec<Option<(usize, usize)>> = vec![None; text.sections.len()];
    // The sentence and section of the last occurrence, with the byte range they both cover.
    let mut last: Option<(usize, usize, Option<usize>, usize)> = None;
    for m in pack
        .keyword_automaton(heavy)
        .find_overlapping_iter(&text.flat)
    {
        let at = m.start();
        let rules = pack.rules_for_keyword(m.pattern().as_usize());
        if rules.is_empty() {
            continue;
        }
        let (sentence, section) = match last {
            Some((from, to, sentence, section)) if (from..to).contains(&at) => (sentence, section),
            _ => {
                let sentence = text.sentence_at(at);
                let section = text.section_at(at);
                let (from, to) = match (sentence, text.sections.get(section)) {
                    (Some(i), Some(s)) => {
                        let t = &text.sentences[i];
                        let next = text
                            .sections
                            .get(section + 1)
                            .map_or(usize::MAX, |n| n.start);
                        (t.start.max(s.start), t.end.min(s.end).min(next))
                    }
                    _ => (at, at + 1),
                };
                last = Some((from, to, sentence, section));
                (sentence, section)
            }
        };
        for &rule_index in rules {
            let scope = match pack.rules[rule_index].scope {
                RuleScope::Sentence => sentence.map(|i| {
                    let s = &text.sentences[i];
                    (s.start, s.end)
                }),
                RuleScope::Line => sentence.map(|_| text.line_at(at)),
                RuleScope::Paragraph => sentence.map(|i| {
                    let p = &text.paragraphs[text.sentences[i].paragraph];
                    (p.start, p.end)
                }),
                RuleScope::Section => {
                    let s = &text.sections[section];
                    Some((s.start, s.end))
                }
                RuleScope::Chapter => Some(match chapters.get_mut(section) {
                    Some(memo) => *memo.get_or_insert_with(|| text.chapter_of(section)),
                    None => text.chapter_of(section),
                }),
            };
            if let Some((start, end)) = scope {
                let scope = (start as u32, end as u32);
                let scopes = &mut per_rule[rule_index];
                if scopes.last() != Some(&scope) {
                    scopes.push(scope);
                }
            }
        }
    }
    per_rule
        .into_iter()
        .enumerate()
        .filter(|(_, scopes)| !scopes.is_empty())
        .map(|(rule, mut scopes)| {
            scopes.sort_unstable();
            scopes.dedup();
            (rule, scopes)
        })
        .collect()
}

/// The deadline a match of a deadline rule captured, in hours (`None` when unreadable).
type Deadline = Option<f64>;

fn accept(
    rule: &Rule,
    text: &Text,
    sentence: usize,
    ms: usize,
    me: usize,
    deadline: Option<Deadline>,
) -> bool {
    let s = &text.sentences[sentence];
    let section = &text.sections[s.section];
    if !rule.definitions && (s.definition || section.definitions) {
        return false;
    }
    // Evidence under a heading, not the heading itself: "Data Subjects" is no list of them, and
    // "Deletion or Return of Data" promises no return.
    let in_title = (section.title && s.start >= section.heading.0 && s.end <= section.heading.1)
        || text
            .label_of(sentence)
            .is_some_and(|(start, end)| s.start >= start && s.end <= end);
    if in_title && rule.element.is_some() {
        return false;
    }
    if !rule.headings.is_empty() && (in_title || !under_heading(text, sentence, &rule.headings)) {
        return false;
    }
    if under_heading(text, sentence, &rule.unless_headings) {
        return false;
    }
    if rule.kind == RuleKind::Presence && section.placeholder {
        return false;
    }
    // A list run into one sentence ("The Processor shall: 1. … 2. …") keeps its items apart: a
    // match that runs from one item's full stop into the next item reads two clauses as one.
    if crosses_item(&text.flat[ms..me.max(ms)]) {
        return false;
    }
    if rule.negation
        && negated(&text.flat[s.start..ms], &text.flat[me..s.end.max(me)])
        && !(rule.kind == RuleKind::Presence && double_negative(&text.flat[s.start..ms]))
    {
        return false;
    }
    if let Some(limit) = rule.deadline_over_hours {
        return deadline.flatten().is_some_and(|h| h > f64::from(limit));
    }
    true
}

fn words(text: &str) -> impl DoubleEndedIterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
}

/// How far (in words) a negator reaches forward within its clause ("will not use Customer
/// Data for advertising, for profiling or for training models").
const NEGATION_REACH: usize = 30;
/// How far (in words) a German sentence-final negation is looked for after the match
/// ("eine Verarbeitung für eigene Zwecke des Auftragnehmers findet nicht statt").
const TRAILING_REACH: usize = 12;

/// Where a negator's scope ends: punctuation that closes a clause, contrastive and exception
/// words, and a new main clause with its own subject, a pronoun or a party (", and we ...",
/// ", and the Customer's continued use ...", ", und der Auftraggeber ...").
static CLAUSE_BREAK: AsciiFirst = AsciiFirst::new(
    r"(?i)[;:]|\b(but|however|aber|jedoch|sondern|whereas|waehrend|except|with the exception of|unless|es sei denn|ausser|ausgenommen|mit ausnahme|other than|save)\b|,\s*(and|und|while|whereas|or|oder)\s+(we|it|they|he|she|wir|er|sie|es|(the\s+)?(processor|controller|provider|vendor|supplier|customer|client|company|der\s+(auftragnehmer|auftraggeber|anbieter|kunde|dienstleister|verantwortliche|auftragsverarbeiter)))\b",
);

/// A clause that opens with a condition ("if …,", "to the extent …,", "soweit …,").
static LEADING_CONDITION: AsciiFirst = AsciiFirst::new(
    r"(?i)^\W*(\(\w{1,4}\)\s*|\d+(\.\d+)*\.?\s+)?(if|where|when|to the extent|insofar as|in so far as|in case|should|soweit|sofern|wenn|falls|insoweit|sobald)\b",
);

/// Where the main clause starts after a leading condition: a comma followed by a subject and
/// a finite verb (", Customer hereby consents", ", we will") or, in German, directly by the
/// finite verb (", wird der Auftragnehmer").
static MAIN_CLAUSE: AsciiFirst = AsciiFirst::new(
    r"(?i),\s*($|((the|der|die|das)\s+)?[\w-]+\s+(hereby\b|will|shall|may|must|can|is|are|has|have|agrees?|consents?|acknowledges?|accepts?)\b|(wird|werden|ist|sind|kann|koennen|darf|duerfen|hat|haben|muss|muessen|gilt|gelten|erfolgt|erfolgen|willigt)\b)",
);

/// Finite verbs that open the predicate of a subject which an insertion set off by commas has
/// interrupted ("Eine Verarbeitung zu eigenen Zwecken, insbesondere zum Training von
/// KI-Modellen, findet nicht statt"; "Any use for the Provider's own purposes, including model
/// training, is prohibited").
const PREDICATE_VERBS: &[&str] = &[
    "findet", "finden", "erfolgt", "erfolgen", "ist", "sind", "wird", "werden", "bleibt",
    "bleiben", "is", "are", "shall", "will", "must",
];

/// How many words the predicate after an insertion may have: a verb, its negation and a
/// particle or participle ("findet nicht statt", "shall not be permitted").
const PREDICATE_WORDS: usize = 6;

/// Whether the clause after a match (`after`, up to its clause break) ends in a short negated
/// predicate after a comma: the match stands in a subject that an insertion interrupted, and the
/// negation after the insertion is the subject's own. A negated prohibition ("ist nicht
/// ausgeschlossen") permits instead.
fn negated_predicate_after_insertion(after: &str) -> bool {
    let Some(comma) = after.rfind(',') else {
        return false;
    };
    let words = words_lower(&after[comma + 1..]);
    let Some(first) = words.first() else {
        return false;
    };
    words.len() <= PREDICATE_WORDS
        && PREDICATE_VERBS.contains(&first.as_str())
        && words.iter().enumerate().skip(1).any(|(k, w)| {
            (TRAILING_NEGATORS.contains(&w.as_str()) || w == "not" || w == "never")
                && !in_negated_prohibition(&words, k)
        })
}

/// Words after the match that negate it in German word order or as a predicate
/// ("... ist ausgeschlossen", "... is prohibited").
const TRAILING_NEGATORS: &[&str] = &[
    "nicht",
    "kein",
    "keine",
    "keinen",
    "keiner",
    "keinem",
    "niemals",
    "ausgeschlossen",
    "untersagt",
    "unzulaessig",
    "verboten",
    "prohibited",
    "forbidden",
    "excluded",
];

/// Whether a heading over the sentence (the label that heads it, its section's own title or an
/// enclosing one) matches one of `patterns`; never for an empty list, which costs no walk over
/// the headings.
fn under_heading(text: &Text, sentence: usize, patterns: &[Pattern]) -> bool {
    !patterns.is_empty()
        && text
            .headings_at(sentence)
            .any(|h| patterns.iter().any(|re| re.is_match(h)))
}

/// Words that open a relative clause after the match: a "not" behind them negates what the
/// relative clause says of the match ("may decline instructions that are not technically
/// feasible"), not the match itself.
const RELATIVE_PRONOUNS: &[&str] = &["that", "which", "who", "whose"];

fn words_lower(text: &str) -> Vec<String> {
    words(text).map(str::to_lowercase).collect()
}

/// Words of prohibition: negated ("not excluded", "nicht untersagt"), they permit.
const PROHIBITIONS: &[&str] = &[
    "excluded",
    "prohibited",
    "forbidden",
    "precluded",
    "ausgeschlossen",
    "untersagt",
    "verboten",
    "unzulaessig",
];

/// Whether the word at `k` is half of a negated prohibition ("not excluded", "nicht
/// untersagt"): such a pair permits what it governs, so neither word negates.
fn in_negated_prohibition(words: &[String], k: usize) -> bool {
    let pair = |a: usize, b: usize| {
        words.get(a).is_some_and(|w| w == "not" || w == "nicht")
            && words
                .get(b)
                .is_some_and(|w| PROHIBITIONS.contains(&w.as_str()))
    };
    pair(k, k + 1) || (k > 0 && pair(k - 1, k))
}

/// True for a negator that really negates here: "no later than", "not limited to" and a
/// negated prohibition ("not excluded", "nicht untersagt") do not, nor does one that describes
/// a third country's want of adequacy (see [`describes_adequacy`]).
fn negates(words: &[String], i: usize) -> bool {
    let w = words[i].as_str();
    let next = words.get(i + 1).map(String::as_str);
    // "es ist nicht ausgeschlossen, dass … folgende Daten", "is not prohibited from".
    if in_negated_prohibition(words, i) {
        return false;
    }
    match (w, next) {
        ("no", Some("later" | "earlier" | "less" | "more" | "fewer")) => false,
        ("not", Some("limited" | "only" | "exceeding" | "later" | "less" | "more")) => false,
        ("nicht", Some("nur" | "abschliessend" | "spaeter" | "mehr" | "weniger")) => false,
        _ => {
            (NEGATORS.contains(&w) || w.ends_with("n't"))
                && !describes_adequacy(words, i)
                && !describes_anonymity(words, i)
        }
    }
}

/// How many words after a negator a word of identification may stand for the negator to
/// describe anonymised data ("no longer relates to any identified individual": four).
const ANONYMITY_REACH: usize = 4;

/// How many words before a negator one of [`DESCRIBING_WORDS`] may stand for the negator to
/// stand in a describing clause.
const DESCRIBING_REACH: usize = 4;

/// Words that open a clause describing something ("data that does not identify …", "in such a
/// manner that …").
const DESCRIBING_WORDS: &[&str] = &["that", "which", "who", "such"];

/// The (at most `reach`) words after the one at `i`.
fn words_after(words: &[String], i: usize, reach: usize) -> &[String] {
    &words[(i + 1).min(words.len())..(i + 1 + reach).min(words.len())]
}

/// Whether the negator at `i` says what data is rather than what the clause does: "aggregated
/// in such a manner that the resultant data no longer constitutes Personal Data", "data that
/// does not identify Customer or any individual", "Daten, die keinen Personenbezug aufweisen".
/// Such a negation describes anonymised data, and it must not silence what the clause permits
/// to be done with that data ("… may use it to improve the platform"). Only descriptions count:
/// "no longer" or a negator shortly after one of [`DESCRIBING_WORDS`], followed by
/// identification; "will not identify individuals or use their data for marketing" still
/// negates.
fn describes_anonymity(words: &[String], i: usize) -> bool {
    let next = words.get(i + 1).map(String::as_str);
    if words[i].starts_with("kein") && next.is_some_and(|n| n.starts_with("personenbez")) {
        return true;
    }
    let describing = (words[i] == "no" && next == Some("longer"))
        || words[i.saturating_sub(DESCRIBING_REACH)..i]
            .iter()
            .any(|w| DESCRIBING_WORDS.contains(&w.as_str()));
    let ahead = words_after(words, i, ANONYMITY_REACH);
    describing
        && ahead.iter().enumerate().any(|(k, w)| {
            // "re-identify" is something done to the data, not what it is
            (w.starts_with("identif") && (k == 0 || ahead[k - 1] != "re"))
                || w.starts_with("attribut")
                || w == "personally"
                || (w.starts_with("constitut") && ahead.get(k + 1).is_some_and(|n| n == "personal"))
        })
}

/// How many words after a negator the word "adequacy" may stand for the negator to describe a
/// country ("has not been the subject of an adequacy decision": six).
const ADEQUACY_REACH: usize = 6;

/// Whether the negator at `i` says where the data goes rather than what the clause does: "to a
/// country that has not received an adequacy decision, the Standard Contractual Clauses are
/// incorporated", "in Länder ohne … / die kein angemessenes Datenschutzniveau bieten". Such a
/// negation is the condition of a transfer clause, and it must not silence the clause.
fn describes_adequacy(words: &[String], i: usize) -> bool {
    let ahead = words_after(words, i, ADEQUACY_REACH);
    ahead.iter().enumerate().any(|(k, w)| {
        w.starts_with("adequa")
            || w.starts_with("angemessenheit")
            || (w.starts_with("angemessen")
                && ahead
                    .get(k + 1)
                    .is_some_and(|n| n.ends_with("niveau") || n.ends_with("niveaus")))
    })
}

/// True when the match is negated (docs/legal.md §5): a negator earlier in the same clause (up to
/// `NEGATION_REACH` words back), or a German sentence-final negation or a predicate such as
/// "ist ausgeschlossen" after it in the same clause — and no exception after the match that
/// re-opens the flag. An exception re-opens only the nearest negation before it, so in
/// "uses data neither to improve products nor to train models, and does not pass them on
/// unless …" the "unless" belongs to "does not pass them on".
pub fn negated(before: &str, after: &str) -> bool {
    let mut clause_start = CLAUSE_BREAK
        .find_iter(before)
        .last()
        .map_or(0, |m| m.end())
        .max(last_item_start(before));
    // "To the extent a transfer is not covered by Clause 8.2, Customer consents …": a leading
    // conditional clause ends at its comma, and its negation stays there.
    if LEADING_CONDITION.is_match(&before[clause_start..])
        && let Some(main) = MAIN_CLAUSE.find(&before[clause_start..])
    {
        clause_start += main.start() + 1;
    }
    let before_words = words_lower(&before[clause_start..]);
    let from = before_words.len().saturating_sub(NEGATION_REACH);
    let clause_neg = (from..before_words.len()).any(|i| negates(&before_words, i));
    let lead_in_neg = !clause_neg && list_under_negated_lead_in(before);
    let before_neg = clause_neg || lead_in_neg;
    // Under a negated lead-in, an exception re-opens only the item it stands in.
    let after = if lead_in_neg {
        &after[..item_end(after)]
    } else {
        after
    };

    let clause_break = CLAUSE_BREAK.find(after).map_or(after.len(), |m| m.start());
    let clause_end = after[..clause_break].find(',').unwrap_or(clause_break);
    // A spaced dash after the match opens an aside of its own: in "routes you configure - never
    // for our own purposes" the "never" belongs to the aside, not to the match.
    let clause_end = after[..clause_end].find(" - ").unwrap_or(clause_end);
    let after_words = words_lower(&after[..clause_end]);
    // "… ist nicht ausgeschlossen": a negated prohibition after the match permits it.
    let negated_prohibition = |k: usize| in_negated_prohibition(&after_words, k);
    let after_neg = after_words
        .iter()
        .take(TRAILING_REACH)
        .enumerate()
        .any(|(k, w)| {
            (TRAILING_NEGATORS.contains(&w.as_str()) || w.starts_with("kein"))
                && !negated_prohibition(k)
        })
        || after_words
            .iter()
            .take(3)
            .take_while(|w| !RELATIVE_PRONOUNS.contains(&w.as_str()))
            .enumerate()
            .any(|(k, w)| (w == "not" && !negated_prohibition(k)) || w == "never")
        || negated_predicate_after_insertion(&after[..clause_break]);
    if !(before_neg || after_neg) {
        return false;
    }
    match EXCEPTION.find(after) {
        None => true,
        Some(m) => !reopens(&after[..m.start()], &after[m.end()..]),
    }
}

/// Where the last list item in `before` starts, after the full stop that ends the item before
/// it (0 when there is none): a negation inside one item ("… and for no other purpose. 2.
/// Ensure that …") does not reach into the next.
fn last_item_start(before: &str) -> usize {
    before
        .rmatch_indices('.')
        .find(|&(i, _)| opens_item(&before[i + 1..]))
        .map_or(0, |(i, _)| i + 1)
}

/// Whether an exception re-opens what a negation closed: no negator stands between them
/// (`between`: the text from the negated words to the exception, or from the exception to the
/// match), and what the exception names (`excepted`) is not benign (see [`BENIGN_EXCEPTION`]).
fn reopens(between: &str, excepted: &str) -> bool {
    let words = words_lower(between);
    !(0..words.len()).any(|i| negates(&words, i)) && !BENIGN_EXCEPTION.is_match(excepted)
}

/// True when "without" or "ohne" stands between the clause's last negator and the match: "will
/// not process personal data without documented instructions", "setzt keine
/// Unterauftragsverarbeiter ohne Genehmigung ein". Two negations make a condition, so what
/// follows "without" is required, not excluded: a presence rule's match there stands. Set
/// phrases that make no condition ("without prejudice to", "without undue delay", "ohne
/// schuldhaftes Zögern") do not count.
fn double_negative(before: &str) -> bool {
    const SET_PHRASE: &[&str] = &[
        "prejudice",
        "limitation",
        "limiting",
        "undue",
        "delay",
        "restriction",
        "schuldhaftes",
        "zoegern",
        "verzug",
        "einschraenkung",
    ];
    let clause_start = CLAUSE_BREAK.find_iter(before).last().map_or(0, |m| m.end());
    let words = words_lower(&before[clause_start..]);
    let last_negator = (0..words.len()).rev().find(|&i| negates(&words, i));
    let from = last_negator.map_or(0, |i| i + 1);
    (from..words.len()).any(|i| {
        (words[i] == "without" || words[i] == "ohne")
            && !words
                .get(i + 1)
                .is_some_and(|next| SET_PHRASE.contains(&next.as_str()))
    })
}

/// True when the match sits in a list whose colon lead-in is negated: "will not use Customer
/// Data for: (a) advertising; (b) training models", or "prohibits the use of Student Data
/// for:" followed by bullet items. Items are separated by `;` or bullets (a full stop only
/// where the next item's bullet follows), and the lead-in is the clause that ends at the colon.
fn list_under_negated_lead_in(before: &str) -> bool {
    let Some(colon) = before.rfind(':') else {
        return false;
    };
    let items = &before[colon + 1..];
    let sentence_ends_in_items = items
        .match_indices(". ")
        .any(|(i, _)| !next_item_follows(&items[i + 1..]));
    if sentence_ends_in_items {
        return false;
    }
    let lead = &before[..colon];
    let lead_start = CLAUSE_BREAK
        .find_iter(lead)
        .last()
        .map_or(0, |m| m.end())
        .max(lead.rfind(". ").map_or(0, |i| i + 2));
    if excepted(&lead[lead_start..]) {
        return false;
    }
    let lead = words_lower(&lead[lead_start..]);
    let from = lead.len().saturating_sub(NEGATION_REACH);
    (from..lead.len()).any(|i| negates(&lead, i))
}

/// True when a list's lead-in ends in an exception to its negation, with no negator after the
/// exception: the items are what is excepted ("we will have no copies of your data, with the
/// exception of: - data retained in backups …"), unless the exception only repeats the
/// controller's control or a legal duty (see [`BENIGN_EXCEPTION`]). (Within a clause an
/// exception already ends the negation: it is a [`CLAUSE_BREAK`].)
fn excepted(before: &str) -> bool {
    EXCEPTION.find_iter(before).last().is_some_and(|m| {
        let rest = &before[m.end()..];
        reopens(rest, rest)
    })
}

/// Where the items of a list sentence start: after the first colon that a bullet or an
/// enumeration such as "(a)" or "1." follows ("will inform the Customer of: * requests …").
fn list_start(sentence: &str) -> Option<usize> {
    sentence
        .match_indices(':')
        .map(|(i, _)| i + 1)
        .find(|&i| next_item_follows(&sentence[i..]))
}

/// Whether a sentence is a list whose items a veto is read in one by one: items after a lead-in
/// with a colon, or a bare list of bullets.
fn is_list(sentence: &str) -> bool {
    list_start(sentence).is_some() || bare_list(sentence)
}

/// A sentence that is only bullet items, with no lead-in and no full stops between them, as a
/// bulleted list copied from a web page reads ("- Process … on documented instructions - Assist
/// the Controller … - Notify the Controller …"): each item is a clause of its own.
fn bare_list(sentence: &str) -> bool {
    let text = sentence.trim_start();
    BULLETS.iter().any(|b| text.starts_with(b)) && bullets(sentence).next().is_some()
}

/// Bullet markers as they stand between items in a sentence.
const BULLETS: [&str; 3] = ["- ", "\u{2022} ", "* "];

/// Offsets in `sentence` where a later bullet item starts: a space, then a bullet marker and a
/// space, then a letter or digit.
fn bullets(sentence: &str) -> impl Iterator<Item = usize> + '_ {
    sentence
        .match_indices(' ')
        .map(|(i, _)| i)
        .filter(move |&i| {
            let rest = &sentence[i + 1..];
            BULLETS.iter().any(|b| {
                rest.strip_prefix(b)
                    .and_then(|r| r.chars().next())
                    .is_some_and(char::is_alphanumeric)
            })
        })
}

/// The part of a sentence that qualifies a match from `start` to `end` (offsets in the
/// sentence): the whole sentence, or in a list sentence the lead-in and the items the match
/// stands in, so that `unless` and `review_if` read what belongs to the match and not a
/// neighbouring item.
fn near_match(sentence: &str, start: usize, end: usize) -> std::borrow::Cow<'_, str> {
    let (bullet_before, bullet_after) = bullets_around(sentence, start, end);
    // A match that starts in the lead-in ("The Processor shall: - (a) process … unless required
    // by law") belongs with the item it ends in.
    let Some(items) = list_start(sentence).filter(|&i| end.max(start) > i) else {
        if bare_list(sentence) {
            let item_start = bullet_before.unwrap_or(0);
            let item_end = bullet_after.unwrap_or(sentence.len());
            return sentence[item_start..item_end].into();
        }
        return sentence.into();
    };
    let item_start = sentence[items..start.max(items)]
        .rmatch_indices(['.', ';'])
        .find(|&(i, _)| next_item_follows(&sentence[items + i + 1..]))
        .map_or(items, |(i, _)| items + i + 1);
    let item_end = end.max(start) + item_end(&sentence[end.max(start)..]);
    // Items copied from a web page end at the next bullet, without a full stop or semicolon
    // ("Vendor shall: - Process … unless required by applicable law - Assist … requests").
    let item_start = bullet_before.map_or(item_start, |b| item_start.max(b));
    let item_end = bullet_after.map_or(item_end, |b| item_end.min(b));
    format!(
        "{} {}",
        sentence[..items].trim_end(),
        sentence[item_start..item_end].trim_start()
    )
    .into()
}

/// The last [`bullets`] offset at or before `start` and the first at or after the match's end
/// (`end`, or `start` if that is later), in one pass over the sentence.
fn bullets_around(sentence: &str, start: usize, end: usize) -> (Option<usize>, Option<usize>) {
    let end = end.max(start);
    let mut before = None;
    for b in bullets(sentence) {
        if b <= start {
            before = Some(b);
        }
        if b >= end {
            return (before, Some(b));
        }
    }
    (before, None)
}

/// Whether `text`, a match, runs from inside one list item into the next: a full stop followed
/// by the next item's marker ("… affecting Customer data. 7. Delete …").
fn crosses_item(text: &str) -> bool {
    text.match_indices('.')
        .find(|&(i, _)| opens_item(&text[i + 1..]))
        // A match that starts in the list's lead-in ("may engage sub-processors subject to: -
        // publication … - a right to object") reads the lead-in with its items, as it should.
        .is_some_and(|(i, _)| !text[..i].contains(':'))
}

/// True when `rest` (the text after a full stop) opens the next list item beyond doubt: white
/// space, then one of the [`BULLETS`], an item number ("2. ", "10) ") or a bracketed one ("(b) ",
/// "(iv) "). Stricter than [`next_item_follows`]: "Pte. Ltd. (Singapore)" opens no item.
fn opens_item(rest: &str) -> bool {
    let next = rest.trim_start();
    if next.len() == rest.len() {
        return false;
    }
    if BULLETS.iter().any(|b| next.starts_with(b)) || item_number(next).is_some() {
        return true;
    }
    next.strip_prefix('(').is_some_and(|r| {
        let label = r.bytes().take_while(u8::is_ascii_alphanumeric).count();
        (1..=4).contains(&label) && r[label..].starts_with(") ")
    })
}

/// Where the list item that `text` starts in ends: at a full stop or semicolon followed by the
/// next item's marker.
fn item_end(text: &str) -> usize {
    text.match_indices(['.', ';'])
        .find(|&(i, _)| next_item_follows(&text[i + 1..]))
        .map_or(text.len(), |(i, _)| i)
}

/// True when `rest` (the text after an item's full stop or semicolon) opens the next item:
/// white space, then a bullet or an item number such as "(b)", "2." or "b)" (see [`numbered`]).
fn next_item_follows(rest: &str) -> bool {
    let next = rest.trim_start();
    next.len() < rest.len() && (next.starts_with(['-', '\u{2022}', '*', '(']) || numbered(next))
}

/// Whether `text` opens with an item number: the segmenter's [`item_number`] ("2. Ensure …",
/// "10) …"), or a lower-case letter, a bracket and a space ("b) …").
fn numbered(text: &str) -> bool {
    item_number(text).is_some()
        || matches!(text.as_bytes(), [letter, b')', b' ', ..] if letter.is_ascii_lowercase())
}

/// The deadline captured as `n` and `unit`, in hours; `text` gives a group's text.
fn deadline_hours<'t>(
    caps: &Captures,
    text: impl Fn(regex_automata::Span) -> &'t str,
) -> Option<f64> {
    let group = |name| caps.get_group_by_name(name).map(&text);
    let n = number(group("n")?)?;
    let unit = group("unit")?.trim();
    let factor = if UNIT_HOURS.is_match(unit) {
        1.0
    } else if UNIT_WEEKS.is_match(unit) {
        168.0
    } else if UNIT_DAYS.is_match(unit) {
        24.0
    } else {
        return None;
    };
    Some(n * factor)
}

/// Number words real agreements write deadlines in ("five calendar days", "zwei Wochen").
const NUMBER_WORDS: &[(&str, f64)] = &[
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("ein", 1.0),
    ("eine", 1.0),
    ("einer", 1.0),
    ("zwei", 2.0),
    ("drei", 3.0),
    ("vier", 4.0),
    ("fuenf", 5.0),
    ("sechs", 6.0),
    ("sieben", 7.0),
    ("acht", 8.0),
    ("zehn", 10.0),
    ("vierzehn", 14.0),
    ("dreissig", 30.0),
];

/// A captured deadline number: digits or a number word.
fn number(text: &str) -> Option<f64> {
    let t = text.trim().to_lowercase();
    t.parse()
        .ok()
        .or_else(|| NUMBER_WORDS.iter().find(|(w, _)| *w == t).map(|(_, n)| *n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_in_words_and_digits() {
        assert_eq!(number("72"), Some(72.0));
        assert_eq!(number("five"), Some(5.0));
        assert_eq!(number("Zwei"), Some(2.0));
        assert_eq!(number("many"), None);
    }

    #[test]
    fn a_line_scope_is_one_row_of_a_table() {
        let text = Text::from_snippet(
            "Sub-processors:\nName | Seat\nLedgerly Inc. | USA\nNorthpage AB | Sweden, SCCs\n",
        );
        let at = text.flat.find("USA").unwrap();
        let (start, end) = text.line_at(at);
        assert_eq!(&text.flat[start..end], "Ledgerly Inc. | USA");
        // Each row is a sentence of its own, too: the next row's tool vetoes nothing in it.
        let sentence = text.sentence_at(at).unwrap();
        assert_eq!(
            &text.flat[text.sentences[sentence].start..text.sentences[sentence].end],
            "Ledgerly Inc. | USA"
        );
        let last = text.flat.find("Northpage").unwrap();
        assert_eq!(
            &text.flat[text.line_at(last).0..text.line_at(last).1],
            "Northpage AB | Sweden, SCCs"
        );
    }

    #[test]
    fn an_item_of_a_bare_bullet_list_is_read_on_its_own() {
        // A bulleted list from a web page, no lead-in, no full stops: one sentence of items.
        let sentence = "- Process personal data only on documented instructions - Assist the \
                        Controller to comply with the GDPR - Notify the Controller of a personal \
                        data breach";
        assert!(bare_list(sentence) && is_list(sentence));
        let at = |word: &str| sentence.find(word).unwrap();
        let near = near_match(sentence, at("Assist"), at("Assist") + 6);
        assert_eq!(
            near.trim(),
            "- Assist the Controller to comply with the GDPR"
        );
        let near = near_match(sentence, at("breach"), at("breach") + 6);
        assert_eq!(
            near.trim(),
            "- Notify the Controller of a personal data breach"
        );
        // A dash inside prose does not make a list, nor does a sentence with one bullet.
        assert!(!bare_list("Hosting - Germany, backups - Finland."));
        assert!(!bare_list("- Backups are kept for 30 days."));
    }

    #[test]
    fn a_list_item_is_read_with_its_lead_in_only() {
        let sentence = "Vendor will inform Customer of: * any request by a law enforcement \
                        authority. * any inquiry by a supervisory authority; * complaints.";
        let at = |word: &str| sentence.find(word).unwrap();
        let near = near_match(sentence, at("request"), at("enforcement"));
        assert_eq!(
            near,
            "Vendor will inform Customer of: * any request by a law enforcement authority"
        );
        let near = near_match(sentence, at("inquiry"), at("inquiry") + 7);
        assert!(near.ends_with("of: * any inquiry by a supervisory authority"));
        // A match in the lead-in, or in a sentence without a list, reads the whole sentence.
        assert_eq!(
            near_match(sentence, at("inform"), at("inform") + 6),
            sentence
        );
        let plain = "Vendor will inform Customer, unless a supervisory authority objects.";
        assert_eq!(near_match(plain, 12, 18), plain);
        // A colon that no item follows opens no list.
        assert_eq!(list_start("Note: the Vendor informs the Customer."), None);
        // Items without a full stop or semicolon end at the next bullet.
        let web = "Vendor shall: - Process data only on instructions, unless required by law \
                   - Ensure staff confidentiality - Assist with data subject requests";
        let at = |word: &str| web.find(word).unwrap();
        assert_eq!(
            near_match(web, at("Process"), at("unless")),
            "Vendor shall: - Process data only on instructions, unless required by law"
        );
        assert_eq!(
            near_match(web, at("Ensure"), at("staff")),
            "Vendor shall: - Ensure staff confidentiality"
        );
        // Items numbered "1." or "b)" are items too.
        let numbered_list = "RegEngine shall: 1. Process data only on instructions, unless required \
                             by applicable law. 2. Assist Customer in responding to requests.";
        let at = |word: &str| numbered_list.find(word).unwrap();
        assert_eq!(
            near_match(numbered_list, at("Process"), at("applicable law") + 14),
            "RegEngine shall: 1. Process data only on instructions, unless required by applicable law"
        );
        assert!(numbered("2. Ensure") && numbered("10) Keep") && numbered("b) Delete"));
        assert!(!numbered("2.5 million") && !numbered("100. Item") && !numbered("Be. "));
        // A match from the lead-in into an item reads the lead-in and that item.
        let enumerated = "The Processor shall: - (a) only process data on instructions, unless \
                          required by UK law; - (e) assist the School to respond to requests.";
        let at = |word: &str| enumerated.find(word).unwrap();
        assert_eq!(
            near_match(enumerated, at("Processor"), at("UK law") + 6),
            "The Processor shall: - (a) only process data on instructions, unless required by UK law"
        );
    }

    #[test]
    fn without_after_a_negator_makes_a_condition() {
        assert!(double_negative(
            "The processor shall not process personal data without "
        ));
        assert!(double_negative(
            "Der Auftragnehmer verarbeitet Daten nicht ohne "
        ));
        assert!(double_negative("Daten werden ohne "));
        assert!(!double_negative(
            "The processor shall not process personal data for "
        ));
        // A negator after "without" starts a new negation of its own.
        assert!(!double_negative("Without undue delay, it will not "));
        // Another clause's "without" does not count, nor a set phrase.
        assert!(!double_negative("It acts without delay; it will not "));
        assert!(!double_negative(
            "Without prejudice to Clause 5, sub-processors "
        ));
        assert!(!double_negative(
            "Der Auftragnehmer wird ohne schuldhaftes "
        ));
    }

    #[test]
    fn list_items_run_into_one_sentence_stay_apart() {
        // A match from one item into the next reads two clauses as one ...
        assert!(crosses_item(
            "breach affecting Customer data. 7. Delete all Customer data within 30 days"
        ));
        assert!(crosses_item("incident. - Notify within 5 days"));
        assert!(crosses_item("incident. (b) notify within 5 days"));
        // ... unless it starts in the lead-in, or the full stop ends an abbreviation.
        assert!(!crosses_item(
            "engage additional Sub-processors subject to: - Publication of the list. - Controller's right to object"
        ));
        assert!(!crosses_item("Lernpfad Pte. Ltd. (Singapur) - Videokurse"));
        assert!(!crosses_item("Art. 28 Abs. 3 DSGVO"));
        // A negation in one item does not reach the next.
        assert!(!negated(
            "The Processor shall: 1. Process personal data only on documented instructions and for no other purpose. 2. Ensure that persons authorised to process personal data are bound by ",
            "."
        ));
        assert!(negated(
            "The Processor shall: 1. Process personal data only on documented instructions. 2. Not use the data for ",
            "."
        ));
    }

    #[test]
    fn a_description_of_anonymised_data_negates_nothing() {
        // What the data no longer is describes it; what may be done with it is not negated.
        assert!(!negated(
            "Provider may use information aggregated in such a manner that the resultant data no longer constitutes Personal ",
            " Data, including to improve the platform."
        ));
        assert!(!negated(
            "Provider may use aggregated data that does not identify Customer or any individual ",
            " to improve its services."
        ));
        assert!(!negated(
            "Der Anbieter darf Daten, die keinen Personenbezug aufweisen, ",
            " zur Verbesserung seiner Dienste nutzen."
        ));
        // An act on the data, or a negator with no description before it, still negates.
        assert!(negated(
            "Provider warrants that it will not re-identify the data or ",
            " use it to improve its services."
        ));
        assert!(negated(
            "Provider will not identify individuals or ",
            " use their data for marketing."
        ));
        assert!(negated(
            "Provider will no longer ",
            " process Customer Data after termination."
        ));
    }

    #[test]
    fn negation_window_and_exceptions() {
        assert!(negated(
            "Der Auftragsverarbeiter wird die Daten nicht ",
            " verarbeiten."
        ));
        // What the negation excepts is not negated, in a list or in the clause itself.
        assert!(!negated(
            "After account deletion, we will have no copies of your Personal Data, with the exception of:  - Data retained in ",
            " backups."
        ));
        assert!(!negated(
            "We keep no copies of your data except ",
            " backups kept indefinitely."
        ));
        assert!(negated(
            "We keep no copies of your data except as required by law, and never ",
            "."
        ));
        assert!(negated("We will not use Customer Data to ", "."));
        // ", and" before a party opens a clause of its own, as before a pronoun: the "not" of
        // the clause before it does not reach the match.
        assert!(!negated(
            "Service Data is not Customer Data, and Provider may ",
            " use Service Data for its own business purposes."
        ));
        assert!(!negated(
            "The Processor shall not engage the sub-processor, and the Customer's ",
            " continued use constitutes acceptance."
        ));
        assert!(!negated(
            "Der Auftragnehmer setzt ihn nicht ein, und der Auftraggeber ",
            " darf kuendigen."
        ));
        assert!(negated(
            "Provider shall not, and shall not permit others to, ",
            "."
        ));
        // A "not" right after the match negates it as a predicate, but not behind a relative
        // pronoun, where it belongs to what the relative clause says of the match.
        assert!(negated(
            "Use of Customer Data for advertising",
            " is not permitted."
        ));
        assert!(!negated(
            "We may ",
            " that are not technically feasible or would require changes to the Service."
        ));
        // A spaced dash opens an aside (or the next bullet of a run-in list): a "never" or
        // "not" behind it belongs there.
        assert!(!negated(
            "We process data only as instructed by you, through the forms and ",
            " - never for our own purposes."
        ));
        assert!(!negated(
            "- Implement appropriate ",
            " as described in the Security Policy - Not engage a sub-processor without authorization"
        ));
        assert!(negated("Customer Data is used for ", " never."));
        // A country's want of adequacy is the condition of a transfer clause, not its negation.
        assert!(!negated(
            "Where Provider transfers Personal Data to a country that has not received an adequacy decision, the ",
            " are incorporated by reference."
        ));
        assert!(!negated(
            "Where the Processor transfers Personal Data to a country that has not been the subject of an adequacy decision, such transfers are governed by the ",
            ", which are incorporated into this DPA by reference."
        ));
        assert!(!negated(
            "Bei Übermittlungen in Drittländer, die kein angemessenes Datenschutzniveau bieten, gelten die ",
            "."
        ));
        assert!(negated(
            "We will not transfer data to countries without an adequacy decision and will not ",
            "."
        ));
        assert!(!negated("We use Customer Data to ", "."));
        // A negated prohibition permits.
        assert!(!negated(
            "Hierbei ist nicht ausgeschlossen, dass der Auftragnehmer Zugriff auf ",
            " hat."
        ));
        assert!(!negated("The Processor is not prohibited from using ", "."));
        assert!(negated("The Processor is not permitted to use ", "."));
        assert!(negated(
            "Der Auftragsverarbeiter wird die Daten ",
            " nicht verarbeiten."
        ));
        assert!(!negated(
            "We will not sell data; we use Customer Data to ",
            "."
        ));
        assert!(!negated(
            "We will not use it ",
            " unless we decide otherwise."
        ));
        assert!(negated(
            "We will not use it ",
            " unless instructed by the Customer."
        ));
        assert!(!negated(
            "There is no doubt about it but we may use Customer Data to ",
            "."
        ));
        // A list under one negation.
        assert!(negated(
            "We will not process Customer Data for our own purposes, including for advertising, for profiling of users, for building or ",
            " models."
        ));
        assert!(negated(
            "Der Auftragsverarbeiter nutzt die Auftragsdaten weder zu Werbezwecken noch zur Bildung von Profilen noch zum ",
            " von KI-Modellen."
        ));
        // A list under a negated colon lead-in.
        assert!(negated(
            "abcAssess explicitly prohibits the use of Student Data for: - Behavioral advertising. - ",
            " any machine learning model."
        ));
        assert!(negated(
            "Provider will not use Customer Data for: (a) advertising; (b) ",
            " of models."
        ));
        // An exception in a later item does not re-open this one.
        assert!(negated(
            "The vendor prohibits the use of data for: - advertising. - ",
            " of models. - transfers, unless the law requires them."
        ));
        assert!(!negated(
            "The vendor prohibits the use of data for: - advertising. - ",
            " of models, unless the vendor decides otherwise."
        ));
        assert!(!negated(
            "Provider will not sell Customer Data. Provider may use it for: (a) ",
            " of models."
        ));
        assert!(!negated(
            "Provider may use Customer Data for: (a) advertising; (b) ",
            " of models."
        ));
        // Sentence-final and predicate negations.
        assert!(negated(
            "Eine Verarbeitung ",
            " des Auftragnehmers oder der Unternehmensgruppe findet nicht statt."
        ));
        assert!(negated("Eine Nutzung ", " ist ausgeschlossen."));
        assert!(!negated("Eine Nutzung ", " ist nicht ausgeschlossen."));
        // A subject interrupted by an insertion keeps the negation of its predicate.
        assert!(negated(
            "Eine Verarbeitung zu eigenen Zwecken, insbesondere zum ",
            " von KI-Modellen oder zu Werbezwecken, findet nicht statt."
        ));
        assert!(negated(
            "Eine Verarbeitung zu ",
            ", insbesondere zum Training von KI-Modellen, findet nicht statt."
        ));
        assert!(negated(
            "Any use of Customer Data for ",
            ", including the training of AI models, is prohibited."
        ));
        assert!(!negated(
            "Eine Verarbeitung zu ",
            ", insbesondere zum Training, ist nicht ausgeschlossen."
        ));
        assert!(!negated(
            "Wir verwenden Daten f\u{fc}r ",
            ", insbesondere Werbung, die nicht personenbezogen sind."
        ));
        assert!(!negated(
            "Provider may use Customer Data for ",
            ", including analytics, and is not required to notify Customer."
        ));
        assert!(!negated("Such use ", " is not excluded."));
        assert!(negated("Such use ", " is not allowed."));
        assert!(!negated(
            "Der Anbieter nutzt die Daten ",
            ", die er nicht mehr benoetigt."
        ));
        // A new clause with its own subject ends the negation.
        assert!(!negated(
            "We do not sell Customer Data, and we may use it to ",
            "."
        ));
        // "no later than" is no negation.
        assert!(!negated(
            "The Provider may, no later than 30 days after termination, use aggregated data to ",
            "."
        ));
        // The exception belongs to the nearer negation.
        assert!(negated(
            "It uses data neither to ",
            " nor to train models, and it does not pass them on unless the Controller has arranged it."
        ));
        assert!(!negated(
            "It does not use data to ",
            " unless it decides otherwise."
        ));
        // An exception for this contract or a legal duty keeps the negation; one for whatever
        // the law permits re-opens it.
        assert!(negated(
            "Arcos verwendet die Daten weder fuer ",
            " noch gibt sie sie an Dritte weiter, ausser dieser Vertrag oder das Gesetz sehen es vor."
        ));
        assert!(negated(
            "We will not use Customer Data for ",
            " unless required by applicable law."
        ));
        assert!(!negated(
            "We will not use Customer Data for ",
            " unless permitted by applicable law."
        ));
        // A negation inside a leading condition does not reach the main clause.
        assert!(!negated(
            "To the extent any transfer is not covered by Clause 8.2, Customer hereby ",
            " to the United States."
        ));
        assert!(!negated(
            "If Customer demonstrates that the report does not answer a question, Kestrel will have it examined by an ",
            " at Customer's expense."
        ));
        assert!(negated(
            "If Customer asks, we will not ",
            " for our own purposes."
        ));
        assert!(!negated(
            "If Customer, acting reasonably, demonstrates that the report does not answer a question, Kestrel will have it examined by an ",
            "."
        ));
        assert!(!negated(
            "Soweit die Uebermittlung nicht von Ziffer 8.2 erfasst ist, willigt der Kunde in die ",
            " ein."
        ));
    }
}
