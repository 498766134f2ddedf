//! The Rust PDF engines by name, and the dispatch that runs one of them in this process.
//!
//! This sits above the extractors it dispatches to (`pdf_extract`, `lopdf`, `oxide`) and below
//! the worker, which names an engine on its command line and runs it with [`run_engine`].

use super::pages::Pages;
use super::{lopdf, pdf_extract};
use crate::extract::Error;

/// A PDF engine that runs inside the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// pdf-extract with our page sink and content-stream repairs (the primary engine).
    PdfExtract,
    /// lopdf's own `extract_text`, page by page (a pure-Rust fallback).
    Lopdf,
    /// pdf_oxide (with the `pdf-oxide` feature).
    #[cfg(feature = "pdf-oxide")]
    PdfOxide,
}

impl Engine {
    /// The name used on the worker's command line and in the `extractor` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::PdfExtract => "pdf-extract",
            Engine::Lopdf => "lopdf",
            #[cfg(feature = "pdf-oxide")]
            Engine::PdfOxide => "pdf_oxide",
        }
    }

    /// Parses [`Engine::as_str`].
    pub fn from_name(name: &str) -> Option<Engine> {
        [
            Engine::PdfExtract,
            Engine::Lopdf,
            #[cfg(feature = "pdf-oxide")]
            Engine::PdfOxide,
        ]
        .into_iter()
        .find(|e| e.as_str() == name)
    }
}

/// Runs `engine` in-process, panics contained.
pub(crate) fn run_engine(engine: Engine, bytes: &[u8]) -> Result<Pages, Error> {
    match engine {
        Engine::PdfExtract => pdf_extract::extract_pages(bytes),
        Engine::Lopdf => lopdf::pages(bytes),
        #[cfg(feature = "pdf-oxide")]
        Engine::PdfOxide => super::oxide::pages(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_names_round_trip() {
        for e in [Engine::PdfExtract, Engine::Lopdf] {
            assert_eq!(Engine::from_name(e.as_str()), Some(e));
        }
        assert_eq!(Engine::from_name("mupdf"), None);
    }
}
