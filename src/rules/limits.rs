//! Limits on rule packs: a pack from `--rules` is untrusted input, so its size, its keywords
//! and the memory its compiled regexes take are bounded, and every breach is an error that says
//! which limit and what to do. The built-in pack is checked against the same limits in
//! `cargo test`.

/// Largest rule file accepted.
pub const MAX_FILE_BYTES: usize = 256 * 1024;
/// Compiled size limit of one regex (and of its lazy DFA's cache).
pub const REGEX_SIZE_LIMIT: usize = 2 * 1024 * 1024;
/// Deepest nesting of groups and repetitions in a pattern.
pub const NEST_LIMIT: u32 = 64;
/// Largest number of rules in a pack.
pub const MAX_RULES: usize = 5_000;
/// Longest keyword.
pub const MAX_KEYWORD: usize = 200;
/// Most keywords of one rule.
pub const MAX_KEYWORDS_PER_RULE: usize = 100;
/// Most regexes of one rule (patterns, unless and review_if together).
pub const MAX_REGEXES_PER_RULE: usize = 32;
/// Longest pattern, in characters.
pub const MAX_PATTERN_CHARS: usize = 2_000;
/// Most requirements in a pack.
pub const MAX_REQUIREMENTS: usize = 200;
/// Memory all compiled regexes of a pack may take together (as regex-automata measures their
/// Unicode-mode form, the largest). It bounds what `--rules` and `ampel rules test` compile up
/// front; the built-in pack compiles lazily at run time and needs only a fraction of it. The
/// built-in pack itself takes about 432 MiB by this measure (171 rules, 7 December 2026; 392 MiB
/// with 147 rules on 5 December, 357 MiB with 139 rules on 4 December, 328 MiB with 133 rules on
/// 3 December), so the budget leaves it some 10 % of headroom (it was 352, 392, then 432 MiB,
/// until the pack reached it).
pub const PACK_REGEX_BUDGET: usize = 480 * 1024 * 1024;
/// Bytes of all keywords together (the automaton grows with them).
pub const MAX_KEYWORD_BYTES: usize = 1024 * 1024;

/// The error for a file over [`MAX_FILE_BYTES`].
pub fn file_too_large() -> String {
    format!("file is larger than {MAX_FILE_BYTES} bytes")
}

/// Refuses a pattern longer than [`MAX_PATTERN_CHARS`] before it is parsed.
pub fn check_pattern_length(pattern: &str) -> Result<(), String> {
    let chars = pattern.chars().count();
    if chars > MAX_PATTERN_CHARS {
        return Err(format!(
            "pattern of {chars} characters is longer than {MAX_PATTERN_CHARS}; split the rule"
        ));
    }
    Ok(())
}

/// Refuses keywords that together take more than [`MAX_KEYWORD_BYTES`].
pub fn check_keyword_bytes(bytes: usize) -> Result<(), String> {
    if bytes > MAX_KEYWORD_BYTES {
        return Err(format!(
            "the pack's keywords take {bytes} bytes, over the limit of {MAX_KEYWORD_BYTES}; use fewer, shorter keywords"
        ));
    }
    Ok(())
}

/// What is left of the pack's regex memory budget ([`PACK_REGEX_BUDGET`]).
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    left: usize,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            left: PACK_REGEX_BUDGET,
        }
    }
}

impl Budget {
    /// A budget of `bytes` (tests).
    pub fn of(bytes: usize) -> Budget {
        Budget { left: bytes }
    }

    /// Bytes left.
    pub fn left(&self) -> usize {
        self.left
    }

    /// Charges `used` bytes for `pattern`; refuses the pattern when they are not left.
    pub fn charge(&mut self, pattern: &str, used: usize) -> Result<(), String> {
        if used > self.left {
            return Err(format!(
                "pattern `{pattern}` takes the pack's compiled patterns over {} MiB; simplify the patterns (large counted repetitions and Unicode classes are expensive)",
                PACK_REGEX_BUDGET / (1024 * 1024)
            ));
        }
        self.left -= used;
        Ok(())
    }
}
