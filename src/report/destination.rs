//! `-o FILE`: a report is written to a temporary file beside FILE and renamed over FILE only
//! once it is complete. A rename within one folder is atomic, so a reader (or an interrupted
//! run) sees either the old file or the whole new report, never half a report. The temporary
//! file is hidden (`.NAME.XXXXXX.tmp`) so a folder scan does not pick it up, and removed if the
//! report is not committed.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// A report file that appears at its path only when [`AtomicFile::commit`] is called.
#[derive(Debug)]
pub struct AtomicFile {
    temp: NamedTempFile,
    path: PathBuf,
}

impl AtomicFile {
    /// Creates the temporary file in the folder of `path`. Fails early, before any work is
    /// done, when `path` is a folder or its folder does not exist or is not writable.
    ///
    /// ```
    /// use std::io::Write;
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("report.html");
    /// let mut file = ampel::report::destination::AtomicFile::create(&path).unwrap();
    /// file.write_all(b"<!doctype html>").unwrap();
    /// assert!(!path.exists(), "nothing appears before the commit");
    /// file.commit().unwrap();
    /// assert_eq!(std::fs::read(&path).unwrap(), b"<!doctype html>");
    /// ```
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        if path.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "is a folder; give a file name, e.g. report.html",
            ));
        }
        let name = path
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "needs a file name"))?;
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut prefix = OsString::from(".");
        prefix.push(name);
        prefix.push(".");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // Created like any new file (0666 less the umask), not with the private 0600 of a
        // temporary file: the report is meant to be shared.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let temp = builder.tempfile_in(folder)?;
        Ok(AtomicFile {
            temp,
            path: path.to_path_buf(),
        })
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the report is written until it is committed (to remove it when the process is
    /// stopped by a signal, which runs no destructors).
    pub fn temporary_path(&self) -> &Path {
        self.temp.path()
    }

    /// Flushes the report to disk and renames it over the final path.
    pub fn commit(mut self) -> io::Result<()> {
        self.temp.flush()?;
        self.temp.as_file().sync_all()?;
        self.temp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temp.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.temp.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn dropped_without_commit_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.csv");
        fs::write(&path, "old report\n").unwrap();
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"half a rep").unwrap();
        assert_eq!(
            leftovers(dir.path()).len(),
            2,
            "the temporary sits beside it"
        );
        drop(file);
        assert_eq!(fs::read_to_string(&path).unwrap(), "old report\n");
        assert_eq!(leftovers(dir.path()), vec!["report.csv"]);
    }

    #[test]
    fn commit_replaces_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.csv");
        fs::write(&path, "old report\n").unwrap();
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"new report\n").unwrap();
        file.commit().unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new report\n");
        assert_eq!(leftovers(dir.path()), vec!["report.csv"]);
    }

    #[test]
    fn a_folder_or_a_missing_folder_fails_before_any_work() {
        let dir = tempfile::tempdir().unwrap();
        assert!(AtomicFile::create(dir.path()).is_err());
        assert!(AtomicFile::create(&dir.path().join("no/such/folder/report.html")).is_err());
        assert!(leftovers(dir.path()).is_empty());
    }
}
