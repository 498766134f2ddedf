//! Exit codes: 0 ran and nothing reached `--fail-on`; 1 a document reached `--fail-on`;
//! 2 the run itself failed (bad arguments, invalid rule pack, no input could be read).

use crate::assess::Ampel;
use crate::document::Status;

/// The exit code of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Ran; nothing at or above `--fail-on`.
    Success = 0,
    /// Some document at or above `--fail-on`.
    Findings = 1,
    /// The run failed.
    Failure = 2,
}

/// The colour at which `ampel scan` exits with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Exit 1 on any red document.
    Red,
    /// Exit 1 on any yellow or red document.
    Yellow,
    /// Never exit 1 for findings.
    Never,
}

/// Tallies a batch for its exit code.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    worst: Option<Ampel>,
    documents: usize,
    unreadable: usize,
}

impl Tally {
    /// Counts one document.
    pub fn add(&mut self, status: Status, ampel: Option<Ampel>) {
        self.documents += 1;
        if status == Status::Error && ampel.is_none() {
            self.unreadable += 1;
        }
        self.worst = self.worst.max(ampel);
    }

    /// The exit code for `fail_on`.
    pub fn exit_code(&self, fail_on: FailOn) -> ExitCode {
        if self.documents == 0 || self.unreadable == self.documents {
            return ExitCode::Failure;
        }
        let threshold = match fail_on {
            FailOn::Red => Ampel::Red,
            FailOn::Yellow => Ampel::Yellow,
            FailOn::Never => return ExitCode::Success,
        };
        if self.worst.is_some_and(|w| w >= threshold) {
            ExitCode::Findings
        } else {
            ExitCode::Success
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(items: &[(Status, Option<Ampel>)]) -> Tally {
        let mut t = Tally::default();
        for &(s, a) in items {
            t.add(s, a);
        }
        t
    }

    #[test]
    fn exit_codes_table() {
        let yellow = tally(&[(Status::Ok, Some(Ampel::Yellow)), (Status::Corrupt, None)]);
        assert_eq!(yellow.exit_code(FailOn::Never), ExitCode::Success);
        assert_eq!(yellow.exit_code(FailOn::Red), ExitCode::Success);
        assert_eq!(yellow.exit_code(FailOn::Yellow), ExitCode::Findings);
        let red = tally(&[(Status::Ok, Some(Ampel::Red))]);
        assert_eq!(red.exit_code(FailOn::Red), ExitCode::Findings);
        let green = tally(&[(Status::Ok, Some(Ampel::Green)), (Status::NotADpa, None)]);
        assert_eq!(green.exit_code(FailOn::Yellow), ExitCode::Success);
        assert_eq!(tally(&[]).exit_code(FailOn::Never), ExitCode::Failure);
        assert_eq!(
            tally(&[(Status::Error, None)]).exit_code(FailOn::Never),
            ExitCode::Failure
        );
        assert_eq!(
            tally(&[(Status::Error, None), (Status::NoText, None)]).exit_code(FailOn::Never),
            ExitCode::Success
        );
    }
}
