//! The track record of the built-in checks on agreements that organisations published: for each
//! rule (and each requirement's "missing" check), in how many agreements of the real corpus's
//! dev split it reported a defect, and in how many of those the two independent readings
//! confirmed one (`corpus/real/track_record.toml`, written by `cargo run --release --example
//! quality -- --track-record`).
//!
//! The dev split is the one the rules are tuned on, so these are training figures: an upper
//! bound on how often a check is right on an agreement it has not seen (the README gives the
//! held-out split's figures per requirement). They tell a reader which findings to check first.
//! A rule loaded from `--rules` has none, even when it reuses a built-in id.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// How often a check's defect was confirmed by the readers of published agreements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackRecord {
    /// Agreements of the dev split in which the check reported a defect.
    pub agreements: u32,
    /// Of those, the agreements whose reading has a defect in the same requirement.
    pub confirmed: u32,
}

/// The table as committed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    /// Day of the measurement (ISO 8601).
    measured: String,
    /// Labelled agreements of the dev split measured.
    agreements: u32,
    /// Per rule id (`<requirement>.missing` for missing clauses).
    rules: BTreeMap<String, Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    agreements: u32,
    confirmed: u32,
}

/// The committed table, as the binary embeds it.
pub const EMBEDDED: &str = include_str!("../../corpus/real/track_record.toml");

fn table() -> Option<&'static Table> {
    static TABLE: OnceLock<Option<Table>> = OnceLock::new();
    TABLE.get_or_init(|| parse(EMBEDDED).ok()).as_ref()
}

fn parse(text: &str) -> Result<Table, String> {
    let table: Table = toml::from_str(text).map_err(|e| e.to_string())?;
    for (id, e) in &table.rules {
        if e.confirmed > e.agreements || e.agreements > table.agreements {
            return Err(format!(
                "{id}: {} confirmed of {} agreements, of {} measured",
                e.confirmed, e.agreements, table.agreements
            ));
        }
    }
    Ok(table)
}

/// The track record of a built-in rule (`<requirement>.missing` for a missing clause), if it
/// reported a defect in at least one measured agreement.
pub fn of(rule: &str) -> Option<TrackRecord> {
    let e = table()?.rules.get(rule)?;
    Some(TrackRecord {
        agreements: e.agreements,
        confirmed: e.confirmed,
    })
}

/// The day the embedded track record was measured (ISO 8601), empty if it could not be read.
pub fn measured() -> &'static str {
    table().map_or("", |t| t.measured.as_str())
}

/// The rule ids of the embedded table, and why it cannot be read if it cannot (for tests).
pub fn ids() -> Result<Vec<String>, String> {
    parse(EMBEDDED).map(|t| t.rules.into_keys().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_reads() {
        assert!(table().is_some(), "{:?}", parse(EMBEDDED).err());
        assert_eq!(measured().len(), 10, "measured is a date: {}", measured());
    }

    #[test]
    fn confirmed_beyond_fired_is_refused() {
        let bad = "measured = \"2026-12-06\"\nagreements = 5\n[rules]\n\"a.b\" = { agreements = 2, confirmed = 3 }\n";
        assert!(parse(bad).is_err());
        let over = "measured = \"2026-12-06\"\nagreements = 5\n[rules]\n\"a.b\" = { agreements = 6, confirmed = 1 }\n";
        assert!(parse(over).is_err());
        let good = "measured = \"2026-12-06\"\nagreements = 5\n[rules]\n\"a.b\" = { agreements = 4, confirmed = 3 }\n";
        let t = parse(good).unwrap();
        assert_eq!(t.rules["a.b"].confirmed, 3);
    }
}
