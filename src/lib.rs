//! ampel reads data-processing agreements (DPA / AVV) and rates each red, yellow or green
//! against Art. 28 and Chapter V GDPR, with every reason quoted from the document.
//!
//! The pipeline runs one way: [`batch`] walks the inputs and runs files in parallel;
//! [`extract`] turns each file into pages of text; [`text`] normalises it (keeping a map back to
//! the original) and splits it into sections and sentences; [`engine`] applies the compiled
//! [`rules`] pack (one aho-corasick pass over all keywords, regexes only in candidate scopes);
//! [`assess`] turns hits into the checklist, findings and the Ampel, which a [`document`] record
//! carries with the input's status; [`report`] writes these for people or tools (text, JSON,
//! JSON Lines, HTML, SARIF, CSV, Markdown; the JSON Schema of the wire format is generated from
//! its types). [`verify`] runs every rule's examples through the same engine.
//!
//! After the light: [`waiver`] applies accepted deviations to an assessment (they stop setting
//! the Ampel and are reported as accepted); [`report::letter`] and [`report::docx`] turn the
//! findings into a change request with the rule pack's suggested clauses; [`diff`] compares two
//! versions of an agreement requirement by requirement ([`report::diff`] writes the result).
//!
//! Input is untrusted. PDF parsers can be made to panic, overflow their stack, loop or
//! allocate without bound, so the `ampel` binary runs them in worker processes of itself with
//! a time and memory limit ([`extract::worker`]); library users get the same by setting
//! [`extract::Settings::worker`], or in-process extraction (panics contained) by default.
//! Extracted text is checked before it is rated ([`extract::quality`]); text that cannot be
//! trusted is re-read by a fallback extractor or reported instead of misread.
//!
//! ```
//! let pack = ampel::rules::Pack::embedded().unwrap();
//! let text = ampel::text::Text::from_snippet(
//!     "Der Auftragsverarbeiter darf die Auftragsdaten auch für eigene Zwecke der Produktverbesserung nutzen.",
//! );
//! let hits = ampel::engine::run(&pack, &text);
//! let assessment = ampel::assess::assess(&pack, &text, &hits);
//! assert_eq!(assessment.ampel, ampel::assess::Ampel::Red);
//! ```

pub mod assess;
pub mod batch;
pub mod diff;
pub mod document;
pub mod engine;
pub mod exit;
pub mod extract;
pub mod report;
pub mod rules;
pub mod text;
pub mod verify;
pub mod waiver;
