//! The one page of `ampel serve`: HTML with its style and script inline (no build step, no
//! external fonts, scripts or trackers), the words of both languages as a JSON data block, and
//! the limits as data attributes. Its Content-Security-Policy is the HTML report's —
//! `default-src 'none'`, style and script allowed only by their SHA-256 — plus what a page that
//! uploads needs and nothing more: `connect-src 'self'`, and no framing, base or form targets.

use ampel::report::html::escape;
use ampel::text::Language;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::config::UploadLimits;
use super::words::words;

const TEMPLATE: &str = include_str!("page/index.html");
const STYLE: &str = include_str!("page/style.css");
const SCRIPT: &str = include_str!("page/app.js");

/// Uploads the page sends at once beyond the server's analyses, so the next file is there when
/// one finishes.
const AHEAD: usize = 1;

/// `'sha256-…'` of an inline script or style.
fn csp_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The Content-Security-Policy of the page.
pub fn csp() -> String {
    format!(
        "default-src 'none'; style-src {}; script-src {}; img-src data:; connect-src 'self'; \
         base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        csp_hash(STYLE),
        csp_hash(SCRIPT)
    )
}

/// JSON that cannot end the `<script>` element it stands in.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The page for a server with `limits`.
pub fn html(limits: &UploadLimits) -> String {
    let both = serde_json::json!({
        "de": words(Language::De),
        "en": words(Language::En),
    });
    let noscript = format!(
        "{} / {}",
        words(Language::De).page.noscript,
        words(Language::En).page.noscript
    );
    TEMPLATE
        .replace("{{VERSION}}", env!("CARGO_PKG_VERSION"))
        .replace("{{MAX_UPLOAD}}", &limits.max_upload.to_string())
        .replace("{{MAX_FILES}}", &limits.max_files.to_string())
        .replace(
            "{{PARALLEL}}",
            &(limits.jobs + AHEAD).min(limits.max_files).to_string(),
        )
        .replace("{{NOSCRIPT}}", &escape(&noscript))
        .replace("{{WORDS}}", &script_safe(&both.to_string()))
        .replace("{{STYLE}}", STYLE)
        .replace("{{SCRIPT}}", SCRIPT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> UploadLimits {
        UploadLimits {
            max_upload: 1000,
            max_files: 3,
            jobs: 2,
            memory: 4000,
        }
    }

    #[test]
    fn the_page_is_self_contained_and_allows_exactly_its_own_style_and_script() {
        let page = html(&limits());
        assert!(!page.contains("{{"), "every placeholder filled");
        assert!(page.contains(&format!("<style>{STYLE}</style>")));
        assert!(page.contains(&format!("<script>{SCRIPT}</script>")));
        let policy = csp();
        assert!(policy.starts_with("default-src 'none';"));
        assert!(policy.contains(&csp_hash(STYLE)) && policy.contains(&csp_hash(SCRIPT)));
        assert!(!policy.contains("unsafe"));
        for external in ["http://", "https://", "@import", "url(", "<img", "<iframe"] {
            assert!(!page.contains(external), "external resource: {external}");
        }
        assert!(page.contains(r#"data-max-upload="1000" data-max-files="3" data-parallel="3""#));
    }

    #[test]
    fn the_words_cannot_close_their_script_element() {
        assert_eq!(
            script_safe(r#"{"a":"</script><b>&"}"#),
            r#"{"a":"\u003c/script\u003e\u003cb\u003e\u0026"}"#
        );
        let page = html(&limits());
        let start = page
            .find(r#"<script type="application/json" id="words">"#)
            .unwrap();
        let block = &page[start..];
        let end = block.find("</script>").unwrap();
        let json = &block[block.find('>').unwrap() + 1..end];
        let words: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(words["de"]["code"], "de");
        assert_eq!(words["en"]["checklist"], "Checklist");
    }
}
