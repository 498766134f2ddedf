//! Zip packages (Word `.docx`, OpenDocument `.odt`) read within limits.
//!
//! A zip file says how large its entries are, but it may lie, and a few kilobytes can unpack
//! to gigabytes (a zip bomb). So every entry is read through [`Read::take`] with a per-entry
//! limit, the bytes unpacked from one file are counted against a total, a suspicious
//! compression ratio is refused before anything is inflated, and encrypted entries are
//! refused with status `encrypted` instead of being read as garbage.

use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use super::{Error, ErrorKind, Format};

/// Limits for reading one package.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// Most entries a package may have.
    pub max_entries: usize,
    /// Largest unpacked size of one entry, in bytes.
    pub max_entry: u64,
    /// Largest unpacked size of all entries read from one package, in bytes.
    pub max_total: u64,
    /// Largest ratio of unpacked to packed size for an entry above [`Limits::ratio_floor`].
    pub max_ratio: u64,
    /// Entries that unpack to less than this are never refused for their ratio.
    pub ratio_floor: u64,
}

/// The limits used for documents. A long contract's `document.xml` is a few megabytes and
/// compresses about 10:1; real files stay far below these.
pub(super) const LIMITS: Limits = Limits {
    max_entries: 10_000,
    max_entry: 64 * 1024 * 1024,
    max_total: 256 * 1024 * 1024,
    max_ratio: 200,
    ratio_floor: 1024 * 1024,
};

/// True when `bytes` start like a zip file (local file header, or an empty archive).
pub(super) fn looks_like_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// True when `bytes` are an OLE compound file: how Office stores password-protected `.docx`
/// files (and old binary `.doc` files).
pub(super) fn looks_like_compound_file(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// An open package with the bytes read from it so far.
pub(super) struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    limits: Limits,
    read_total: u64,
    label: &'static str,
}

impl<'a> Package<'a> {
    /// Opens `bytes` as a zip package; `label` names the format in messages ("Word file").
    pub(super) fn open(
        bytes: &'a [u8],
        limits: Limits,
        label: &'static str,
    ) -> Result<Package<'a>, Error> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            Error::new(
                ErrorKind::Corrupt,
                format!("damaged {label} ({e}): the zip container cannot be read; re-save or re-export the file"),
            )
        })?;
        if zip.len() > limits.max_entries {
            return Err(Error::new(
                ErrorKind::TooLarge,
                format!(
                    "{label} with {} zip entries, over the limit of {}: not read (possible zip bomb)",
                    zip.len(),
                    limits.max_entries
                ),
            ));
        }
        Ok(Package {
            zip,
            limits,
            read_total: 0,
            label,
        })
    }

    /// Reads entry `name` within the limits; `Ok(None)` when there is no such entry.
    pub(super) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        let Some(index) = self.zip.index_for_name(name) else {
            return Ok(None);
        };
        let label = self.label;
        let too_large = |what: String| {
            Error::new(
                ErrorKind::TooLarge,
                format!("{label}: {what}; not read (possible zip bomb)"),
            )
        };
        let (declared, packed, locked) = {
            let entry = self
                .zip
                .by_index_data(index)
                .map_err(|e| corrupt(label, name, &e))?;
            (entry.size(), entry.compressed_size(), entry.encrypted())
        };
        if locked {
            return Err(encrypted(label));
        }
        if declared > self.limits.max_entry {
            return Err(too_large(format!(
                "{name} unpacks to {declared} bytes, over the limit of {}",
                self.limits.max_entry
            )));
        }
        if declared > self.limits.ratio_floor && declared / packed.max(1) > self.limits.max_ratio {
            return Err(too_large(format!(
                "{name} is compressed {}:1, more than {}:1",
                declared / packed.max(1),
                self.limits.max_ratio
            )));
        }
        let budget = self
            .limits
            .max_entry
            .min(self.limits.max_total.saturating_sub(self.read_total));
        let mut out = Vec::with_capacity(declared.min(budget) as usize);
        let entry = self.zip.by_index(index).map_err(|e| match e {
            ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED) => encrypted(label),
            other => corrupt(label, name, &other),
        })?;
        // The declared size may lie: read at most one byte past the budget and check.
        entry
            .take(budget + 1)
            .read_to_end(&mut out)
            .map_err(|e| corrupt(label, name, &e))?;
        let got = out.len() as u64;
        if got > budget {
            return Err(too_large(format!(
                "{name} unpacks to more than {budget} bytes (the limit for one entry is {}, for the whole file {})",
                self.limits.max_entry, self.limits.max_total
            )));
        }
        if got > self.limits.ratio_floor && got / packed.max(1) > self.limits.max_ratio {
            return Err(too_large(format!(
                "{name} is compressed {}:1, more than {}:1",
                got / packed.max(1),
                self.limits.max_ratio
            )));
        }
        self.read_total += got;
        Ok(Some(out))
    }

    /// Reads entry `name`, which the format requires.
    pub(super) fn read_required(&mut self, name: &str) -> Result<Vec<u8>, Error> {
        self.read(name)?.ok_or_else(|| {
            Error::new(
                ErrorKind::Corrupt,
                format!(
                    "damaged {}: the part {name} is missing; re-save or re-export the file",
                    self.label
                ),
            )
        })
    }
}

fn corrupt(label: &str, name: &str, e: &dyn std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Corrupt,
        format!("damaged {label}: cannot unpack {name} ({e}); re-save or re-export the file"),
    )
}

fn encrypted(label: &str) -> Error {
    Error::new(
        ErrorKind::Encrypted,
        format!(
            "encrypted {label}: its parts need a password; ask the vendor for an unprotected copy or save it without a password"
        ),
    )
}

/// The document format of a zip package: Word when it holds `word/document.xml`, OpenDocument
/// text when its `mimetype` entry says so. `None` for other packages (spreadsheets, plain
/// archives) and for zips that cannot be opened.
pub(super) fn kind(bytes: &[u8]) -> Option<Format> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
    if zip.index_for_name("word/document.xml").is_some() {
        return Some(Format::Docx);
    }
    let index = zip.index_for_name("mimetype")?;
    let mut mimetype = String::new();
    zip.by_index(index)
        .ok()?
        .take(200)
        .read_to_string(&mut mimetype)
        .ok()?;
    let mimetype = mimetype.trim();
    (mimetype == "application/vnd.oasis.opendocument.text"
        || mimetype == "application/vnd.oasis.opendocument.text-template")
        .then_some(Format::Odt)
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use zip::write::SimpleFileOptions;

    use super::super::Document;
    use super::*;

    /// The text of a package read as `format`, its pages joined by `<PAGE>` lines.
    pub(crate) fn page_texts(read: Result<Document, Error>, format: Format) -> String {
        let doc = read.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.format, format);
        doc.pages
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n<PAGE>\n")
    }

    /// Builds a zip in memory from `(name, content)` pairs, deflated.
    pub(crate) fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in entries {
            w.start_file(*name, options).expect("start entry");
            w.write_all(content).expect("write entry");
        }
        w.finish().expect("finish zip");
        out.into_inner()
    }

    /// Sets the "encrypted" flag on every entry, as a password-protected zip has it.
    pub(crate) fn mark_encrypted(zip: &mut [u8]) {
        for i in 0..zip.len().saturating_sub(4) {
            match &zip[i..i + 4] {
                b"PK\x03\x04" => zip[i + 6] |= 1,
                b"PK\x01\x02" => zip[i + 8] |= 1,
                _ => {}
            }
        }
    }

    #[test]
    fn reads_entries_within_limits() {
        let bytes = zip_of(&[("a.xml", b"<a/>")]);
        let mut p = Package::open(&bytes, LIMITS, "test file").unwrap();
        assert_eq!(p.read("a.xml").unwrap().unwrap(), b"<a/>");
        assert!(p.read("missing.xml").unwrap().is_none());
        assert_eq!(
            p.read_required("b.xml").unwrap_err().kind(),
            ErrorKind::Corrupt
        );
    }

    #[test]
    fn zip_bomb_is_refused_by_ratio() {
        // 50 MiB of zeros deflate to about 50 KiB: a ratio of 1000:1.
        let zeros = vec![0u8; 50 * 1024 * 1024];
        let bytes = zip_of(&[("word/document.xml", &zeros)]);
        assert!(bytes.len() < 200 * 1024);
        let mut p = Package::open(&bytes, LIMITS, "Word file").unwrap();
        let err = p.read("word/document.xml").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooLarge);
        assert!(err.message().contains("zip bomb"), "{}", err.message());
    }

    #[test]
    fn oversized_entry_is_refused_even_when_its_size_lies() {
        let text = b"<w:t>Auftragsverarbeitung</w:t>".repeat(2000);
        let bytes = zip_of(&[("big.xml", &text)]);
        let limits = Limits {
            max_entry: 10_000,
            ..LIMITS
        };
        let mut p = Package::open(&bytes, limits, "Word file").unwrap();
        assert_eq!(p.read("big.xml").unwrap_err().kind(), ErrorKind::TooLarge);

        // A total over several entries.
        let bytes = zip_of(&[("a.xml", &text[..9000]), ("b.xml", &text[..9000])]);
        let limits = Limits {
            max_total: 12_000,
            ..LIMITS
        };
        let mut p = Package::open(&bytes, limits, "Word file").unwrap();
        assert!(p.read("a.xml").is_ok());
        assert_eq!(p.read("b.xml").unwrap_err().kind(), ErrorKind::TooLarge);
    }

    #[test]
    fn too_many_entries_are_refused() {
        let names: Vec<String> = (0..20).map(|i| format!("{i}.xml")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
        let bytes = zip_of(&entries);
        let limits = Limits {
            max_entries: 10,
            ..LIMITS
        };
        let err = Package::open(&bytes, limits, "Word file").err().unwrap();
        assert_eq!(err.kind(), ErrorKind::TooLarge);
    }

    #[test]
    fn encrypted_entries_are_refused() {
        let mut bytes = zip_of(&[("word/document.xml", b"<w:document/>")]);
        mark_encrypted(&mut bytes);
        let mut p = Package::open(&bytes, LIMITS, "Word file").unwrap();
        assert_eq!(
            p.read("word/document.xml").unwrap_err().kind(),
            ErrorKind::Encrypted
        );
    }

    #[test]
    fn kinds_by_content() {
        let docx = zip_of(&[("word/document.xml", b"<w:document/>")]);
        assert_eq!(kind(&docx), Some(Format::Docx));
        let odt = zip_of(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<office:document-content/>"),
        ]);
        assert_eq!(kind(&odt), Some(Format::Odt));
        let ods = zip_of(&[(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        )]);
        assert_eq!(kind(&ods), None);
        assert_eq!(kind(b"PK\x03\x04broken"), None);
    }
}
