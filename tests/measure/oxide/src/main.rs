//! PDF on stdin → text of each page on stdout, pages separated by form feeds (like pdftotext).
//! Exit 1 when the document cannot be opened. Panics on a page leave that page empty.

use std::io::{Read, Write};

fn main() {
    let mut bytes = Vec::new();
    if std::io::stdin().read_to_end(&mut bytes).is_err() {
        std::process::exit(2);
    }
    std::panic::set_hook(Box::new(|_| {}));
    let Ok(Ok(doc)) = std::panic::catch_unwind(|| pdf_oxide::PdfDocument::from_bytes(bytes)) else {
        std::process::exit(1);
    };
    let pages = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| doc.page_count()));
    let Ok(Ok(pages)) = pages else {
        std::process::exit(1);
    };
    let mut out = std::io::stdout().lock();
    for page in 0..pages {
        let text =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| doc.extract_text(page)));
        let text = match text {
            Ok(Ok(t)) => t,
            _ => String::new(),
        };
        let _ = write!(out, "{text}\u{c}");
    }
}
