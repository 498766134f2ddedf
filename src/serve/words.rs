//! The words of the `ampel serve` page in German and English: the page's own (drop zone,
//! progress, downloads, limits), the headings it shares with the HTML report (taken from
//! [`ampel::report::labels`], so both say the same), the title of each status, and the
//! server's own messages. The page gets both languages at once and switches without asking
//! the server again.

use ampel::document::Status;
use ampel::report::labels::labels;
use ampel::text::Language;
use serde::Serialize;

/// The page's own words in one language. `{…}` marks are filled in by the page's script.
#[derive(Debug, Serialize)]
pub struct PageWords {
    /// `de` or `en`.
    pub code: &'static str,
    /// The name of the language, in itself (for the switch).
    pub name: &'static str,
    /// Title of the page.
    pub title: &'static str,
    /// The sentence under the title.
    pub lead: &'static str,
    /// In the drop zone.
    pub drop: &'static str,
    /// The file chooser's button.
    pub choose: &'static str,
    /// Formats and limits: `{size}` and `{files}`.
    pub formats: &'static str,
    /// What happens to the files.
    pub privacy: &'static str,
    /// States of one file.
    pub waiting: &'static str,
    /// Uploading, `{percent}`.
    pub uploading: &'static str,
    /// The server analyses it.
    pub analysing: &'static str,
    /// Could not be answered.
    pub failed: &'static str,
    /// The summary over all files: `{documents}`, `{red}`, `{yellow}`, `{green}`, `{unknown}`.
    pub summary: &'static str,
    /// Removes the finished files from the page.
    pub clear: &'static str,
    /// Heading of the downloads.
    pub downloads: &'static str,
    /// Download: the JSON record.
    pub json: &'static str,
    /// Download: the HTML report.
    pub html: &'static str,
    /// Download: the letter as Markdown.
    pub letter_markdown: &'static str,
    /// Download: the letter as a Word document.
    pub letter_docx: &'static str,
    /// File name stem of the letter.
    pub letter_file: &'static str,
    /// A file over the size limit, refused before upload: `{name}`, `{size}`.
    pub too_large: &'static str,
    /// More files than accepted at once: `{files}`, `{left}`.
    pub too_many: &'static str,
    /// The server cannot be reached.
    pub offline: &'static str,
    /// An answer the page cannot read.
    pub bad_answer: &'static str,
    /// Shown without JavaScript.
    pub noscript: &'static str,
    /// Marks quotes read by OCR.
    pub ocr: &'static str,
}

/// The words of the page in one language: its own and those it shares with the reports.
#[derive(Debug, Serialize)]
pub struct Words {
    /// The page's own words.
    #[serde(flatten)]
    pub page: &'static PageWords,
    /// Checklist heading (as in the HTML report).
    pub checklist: &'static str,
    /// Findings heading.
    pub findings: &'static str,
    /// No findings.
    pub no_findings: &'static str,
    /// "Rule".
    pub rule: &'static str,
    /// "Legal basis".
    pub legal_basis: &'static str,
    /// "Why it matters".
    pub rationale: &'static str,
    /// "Recommendation".
    pub recommendation: &'static str,
    /// "Requirement".
    pub requirement: &'static str,
    /// "Status".
    pub status: &'static str,
    /// "Found at".
    pub found_at: &'static str,
    /// No legal advice.
    pub disclaimer: &'static str,
}

/// The words of the page in `lang`.
pub fn words(lang: Language) -> Words {
    let l = labels(lang);
    let own = match lang {
        Language::De => &DE,
        Language::En => &EN,
    };
    Words {
        checklist: l.checklist,
        findings: l.findings,
        no_findings: l.no_findings,
        rule: l.rule,
        legal_basis: l.legal_basis,
        rationale: l.rationale,
        recommendation: l.recommendation,
        requirement: l.requirement,
        status: l.status,
        found_at: l.found_at,
        disclaimer: l.disclaimer,
        page: own,
    }
}

const DE: PageWords = PageWords {
    code: "de",
    name: "Deutsch",
    title: "Auftragsverarbeitungsverträge prüfen",
    lead: "Vertrag hineinziehen, Ampel ablesen: rot, gelb oder grün nach Art. 28 DSGVO, jeder Grund mit Zitat, Seite und Abschnitt.",
    drop: "Verträge hierher ziehen",
    choose: "oder Dateien auswählen",
    formats: "PDF, Word (DOCX), OpenDocument (ODT), HTML, Markdown oder Text – bis {size} je Datei, bis {files} Dateien auf einmal.",
    privacy: "Die Dateien verlassen diesen Rechner nicht: ampel liest sie im Arbeitsspeicher, antwortet und vergisst sie.",
    waiting: "wartet",
    uploading: "wird übertragen ({percent} %)",
    analysing: "wird geprüft …",
    failed: "nicht geprüft",
    summary: "{documents} Dokumente: {red} rot, {yellow} gelb, {green} grün, {unknown} nicht bewertet",
    clear: "Liste leeren",
    downloads: "Herunterladen",
    json: "JSON",
    html: "HTML-Bericht",
    letter_markdown: "Anschreiben an den Anbieter (Markdown)",
    letter_docx: "Anschreiben an den Anbieter (Word)",
    letter_file: "anschreiben",
    too_large: "{name} ist größer als {size} und wurde nicht übertragen.",
    too_many: "Höchstens {files} Dateien auf einmal: {left} wurden nicht übernommen. Bitte später erneut hineinziehen.",
    offline: "Keine Verbindung zu ampel: Läuft „ampel serve“ noch?",
    bad_answer: "Unerwartete Antwort von ampel.",
    noscript: "Diese Seite braucht JavaScript. Ohne Browser: ampel scan --format html -o bericht.html VERTRAG.pdf",
    ocr: "OCR",
};

const EN: PageWords = PageWords {
    code: "en",
    name: "English",
    title: "Check data-processing agreements",
    lead: "Drop a contract, read the light: red, yellow or green under Art. 28 GDPR, every reason quoted with page and section.",
    drop: "Drop agreements here",
    choose: "or choose files",
    formats: "PDF, Word (DOCX), OpenDocument (ODT), HTML, Markdown or text – up to {size} per file, up to {files} files at once.",
    privacy: "The files do not leave this computer: ampel reads them in memory, answers and forgets them.",
    waiting: "waiting",
    uploading: "uploading ({percent} %)",
    analysing: "analysing …",
    failed: "not analysed",
    summary: "{documents} documents: {red} red, {yellow} yellow, {green} green, {unknown} not rated",
    clear: "Clear the list",
    downloads: "Download",
    json: "JSON",
    html: "HTML report",
    letter_markdown: "Letter to the vendor (Markdown)",
    letter_docx: "Letter to the vendor (Word)",
    letter_file: "letter",
    too_large: "{name} is larger than {size} and was not uploaded.",
    too_many: "At most {files} files at once: {left} were not taken. Please drop them again later.",
    offline: "No connection to ampel: is `ampel serve` still running?",
    bad_answer: "Unexpected answer from ampel.",
    noscript: "This page needs JavaScript. Without a browser: ampel scan --format html -o report.html AGREEMENT.pdf",
    ocr: "OCR",
};

/// The title of a status in `lang`, above the library's message.
pub fn status_title(status: Status, lang: Language) -> &'static str {
    let (de, en) = match status {
        Status::Ok => ("Geprüft", "Analysed"),
        Status::NotADpa => (
            "Kein Auftragsverarbeitungsvertrag",
            "Not a data-processing agreement",
        ),
        Status::NoText => ("Kein lesbarer Text", "No readable text"),
        Status::Encrypted => ("Passwortgeschützt", "Password-protected"),
        Status::Corrupt => ("Beschädigte Datei", "Damaged file"),
        Status::Unsupported => ("Format nicht unterstützt", "Unsupported format"),
        Status::TooLarge => ("Zu groß", "Too large"),
        Status::Timeout => ("Zeitlimit überschritten", "Time limit exceeded"),
        Status::Error => ("Fehler", "Error"),
    };
    match lang {
        Language::De => de,
        Language::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_there_in_both_languages() {
        for lang in [Language::De, Language::En] {
            let json = serde_json::to_value(words(lang)).unwrap();
            for (key, value) in json.as_object().unwrap() {
                assert!(
                    value.as_str().is_some_and(|v| !v.is_empty()),
                    "{key} is empty in {}",
                    lang.code()
                );
            }
        }
        assert_ne!(words(Language::De).page.drop, words(Language::En).page.drop);
    }
}
