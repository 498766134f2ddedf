//! What ampel needs to sit inside a pipeline: a list of paths handed over by another program
//! (`--files-from`), and a stable share of the inputs for one of several machines (`--shard`).
//!
//! Both act on the inputs before any file is read, so the batch itself stays the same: N copies
//! of one command, each with its own `--shard K/N`, read every input exactly once between them,
//! and their JSON Lines, merged and sorted by path, equal one run over everything.

use std::ffi::OsString;
use std::fmt;
use std::io::{self, BufRead};
use std::path::PathBuf;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// Reads a list of paths: one a line (`nul == false`; a trailing `\r` is dropped, as Windows
/// tools write it) or NUL-separated (`nul == true`, as `find -print0` writes it, which allows
/// any byte in a name). Empty entries are skipped.
///
/// ```
/// let list = ampel::pipeline::read_paths(&b"a.pdf\r\nfolder\n\nb c.docx"[..], false).unwrap();
/// assert_eq!(list, ["a.pdf", "folder", "b c.docx"].map(std::path::PathBuf::from));
/// let list = ampel::pipeline::read_paths(&b"line\nbreak.pdf\0x.pdf\0"[..], true).unwrap();
/// assert_eq!(list, ["line\nbreak.pdf", "x.pdf"].map(std::path::PathBuf::from));
/// ```
pub fn read_paths(mut reader: impl BufRead, nul: bool) -> io::Result<Vec<PathBuf>> {
    let separator = if nul { b'\0' } else { b'\n' };
    let mut paths = Vec::new();
    let mut entry = Vec::new();
    loop {
        entry.clear();
        if reader.read_until(separator, &mut entry)? == 0 {
            return Ok(paths);
        }
        if entry.last() == Some(&separator) {
            entry.pop();
        }
        if !nul && entry.last() == Some(&b'\r') {
            entry.pop();
        }
        if !entry.is_empty() {
            paths.push(PathBuf::from(os_string(entry.clone())?));
        }
    }
}

#[cfg(unix)]
fn os_string(bytes: Vec<u8>) -> io::Result<OsString> {
    use std::os::unix::ffi::OsStringExt;
    Ok(OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn os_string(bytes: Vec<u8>) -> io::Result<OsString> {
    String::from_utf8(bytes)
        .map(OsString::from)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// One share of the inputs: the `index`-th of `count` (`--shard K/N`, `0 <= K < N`).
///
/// An input belongs to the shard its path hashes to (SHA-256 of the path as shown, so every
/// machine and every version of ampel agrees), which needs no coordination between the
/// machines and keeps a file in its shard when others are added or removed.
///
/// ```
/// use ampel::pipeline::Shard;
/// let shards: Vec<Shard> = (0..3).map(|k| format!("{k}/3").parse().unwrap()).collect();
/// for path in ["a.pdf", "b.pdf", "contracts/c.docx"] {
///     assert_eq!(shards.iter().filter(|s| s.holds(path)).count(), 1);
/// }
/// assert!("3/3".parse::<Shard>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl Shard {
    /// Whether the input shown as `path` is this shard's.
    pub fn holds(&self, path: &str) -> bool {
        let digest = Sha256::digest(path.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first) % self.count == self.index
    }
}

/// Why a `--shard` value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardError {
    given: String,
}

impl fmt::Display for ShardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid shard {:?}: give K/N with 0 <= K < N, e.g. 0/4 for the first of four machines",
            self.given
        )
    }
}

impl std::error::Error for ShardError {}

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(s: &str) -> Result<Shard, ShardError> {
        let error = || ShardError {
            given: s.to_string(),
        };
        let (k, n) = s.split_once('/').ok_or_else(error)?;
        let index: u64 = k.trim().parse().map_err(|_| error())?;
        let count: u64 = n.trim().parse().map_err(|_| error())?;
        if index >= count {
            return Err(error());
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_values() {
        let table = [
            ("0/1", true),
            ("2/3", true),
            (" 1 / 2 ", true),
            ("3/3", false),
            ("0/0", false),
            ("-1/3", false),
            ("1", false),
            ("a/b", false),
        ];
        for (given, ok) in table {
            assert_eq!(given.parse::<Shard>().is_ok(), ok, "{given}");
        }
        assert!(
            "3/3"
                .parse::<Shard>()
                .unwrap_err()
                .to_string()
                .contains("0 <= K < N")
        );
    }

    #[test]
    fn every_path_is_in_exactly_one_shard_and_shards_share_the_load() {
        let shards: Vec<Shard> = (0..4).map(|k| Shard { index: k, count: 4 }).collect();
        let mut sizes = [0usize; 4];
        for i in 0..4000 {
            let path = format!("contracts/vendor-{i}.pdf");
            let owners: Vec<usize> = (0..4).filter(|&k| shards[k].holds(&path)).collect();
            assert_eq!(owners.len(), 1, "{path}");
            sizes[owners[0]] += 1;
        }
        assert!(sizes.iter().all(|&n| (800..1200).contains(&n)), "{sizes:?}");
    }

    #[test]
    fn the_share_of_a_path_never_changes() {
        // Pinned: machines running different builds must agree on who reads what.
        let owner =
            |path: &str, count| (0..count).find(|&index| Shard { index, count }.holds(path));
        assert_eq!(owner("corpus/pdf/a.pdf", 3), Some(0));
        assert_eq!(owner("corpus/pdf/a.pdf", 7), Some(3));
        assert_eq!(owner("contracts/c.docx", 3), Some(1));
        assert_eq!(owner("contracts/c.docx", 7), Some(3));
    }
}
