//! The Word reader on small packages built in the tests: numbering, headings, tables,
//! page breaks, and what is left out.

use super::super::ErrorKind;
use super::super::package::tests::{mark_encrypted, page_texts, zip_of};
use super::*;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

fn docx(body: &str, styles: &str, numbering: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}<w:sectPr><w:headerReference w:type="default" r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></w:sectPr></w:body></w:document>"#
    );
    let styles = format!(r#"<w:styles {W}>{styles}</w:styles>"#);
    let numbering = format!(r#"<w:numbering {W}>{numbering}</w:numbering>"#);
    zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", document.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
        ("word/numbering.xml", numbering.as_bytes()),
        (
            "word/header1.xml",
            format!(r#"<w:hdr {W}><w:p><w:r><w:t>KOPFZEILE Vertraulich</w:t></w:r></w:p></w:hdr>"#)
                .as_bytes(),
        ),
        (
            "word/footer1.xml",
            format!(r#"<w:ftr {W}><w:p><w:r><w:t>FUSSZEILE Seite 1</w:t></w:r></w:p></w:ftr>"#)
                .as_bytes(),
        ),
    ])
}

fn p(style: Option<&str>, num: Option<(u32, u8)>, text: &str) -> String {
    let style = style.map_or(String::new(), |s| format!(r#"<w:pStyle w:val="{s}"/>"#));
    let num = num.map_or(String::new(), |(id, l)| {
        format!(r#"<w:numPr><w:ilvl w:val="{l}"/><w:numId w:val="{id}"/></w:numPr>"#)
    });
    format!(
        r#"<w:p><w:pPr>{style}{num}<w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#
    )
}

const STYLES: &str = r#"
    <w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
    <w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
    <w:style w:type="paragraph" w:styleId="Verzeichnis1"><w:name w:val="toc 1"/></w:style>"#;

const NUMBERING: &str = r#"
    <w:abstractNum w:abstractNumId="0">
      <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
      <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
      <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
    </w:abstractNum>
    <w:abstractNum w:abstractNumId="1">
      <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val=""/></w:lvl>
    </w:abstractNum>
    <w:abstractNum w:abstractNumId="2">
      <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="Anlage %1"/></w:lvl>
    </w:abstractNum>
    <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
    <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
    <w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>
    <w:num w:numId="4"><w:abstractNumId w:val="2"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#;

fn text(bytes: &[u8]) -> String {
    page_texts(extract(bytes), Format::Docx)
}

#[test]
fn numbering_headings_and_no_headers_or_footers() {
    let body = [
        p(Some("Verzeichnis1"), None, "1. Gegenstand\t2"),
        p(None, None, "Auftragsverarbeitungsvertrag"),
        p(Some("berschrift1"), None, "Gegenstand"),
        p(None, Some((1, 1)), "Der Auftragnehmer verarbeitet Daten."),
        p(
            None,
            Some((1, 1)),
            "Die Dauer richtet sich nach dem Hauptvertrag.",
        ),
        p(None, Some((1, 2)), "erstens"),
        p(None, Some((1, 2)), "zweitens"),
        p(Some("berschrift1"), None, "Weisungen"),
        p(None, Some((1, 1)), "Nur auf Weisung."),
        p(None, Some((2, 0)), "Punkt"),
        p(None, Some((3, 0)), "Technische Maßnahmen"),
        p(None, Some((3, 0)), "Unterauftragsverarbeiter"),
        p(None, Some((4, 0)), "neu gezählt"),
        p(None, Some((0, 0)), "ohne Nummer"),
    ]
    .concat();
    let got = text(&docx(&body, STYLES, NUMBERING));
    assert_eq!(
        got,
        "Auftragsverarbeitungsvertrag\n\n# 1. Gegenstand\n\n1.1 Der Auftragnehmer verarbeitet Daten.\n1.2 Die Dauer richtet sich nach dem Hauptvertrag.\na) erstens\nb) zweitens\n\n# 2. Weisungen\n\n2.1 Nur auf Weisung.\n- Punkt\nAnlage I Technische Maßnahmen\nAnlage II Unterauftragsverarbeiter\nAnlage I neu gezählt\n\nohne Nummer"
    );
    assert!(!got.contains("KOPFZEILE") && !got.contains("FUSSZEILE"));
}

#[test]
fn tables_tracked_changes_and_alternate_content() {
    let cell = |t: &str| format!(r#"<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>"#);
    let body = format!(
        r#"<w:tbl><w:tr>{}{}</w:tr><w:tr>{}<w:tc><w:p/></w:tc>{}</w:tr></w:tbl>
        <w:p><w:r><w:t>Alt</w:t></w:r><w:del><w:r><w:delText>gelöscht</w:delText></w:r></w:del><w:ins><w:r><w:t> neu</w:t></w:r></w:ins>
        <w:r><w:rPr><w:vanish/></w:rPr><w:t>versteckt</w:t></w:r>
        <mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:t> Box</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t> Box</w:t></w:r></mc:Fallback></mc:AlternateContent>
        <w:r><w:t xml:space="preserve"> A &amp; B</w:t></w:r></w:p>"#,
        cell("Dienstleister"),
        cell("Ort"),
        cell("Hosting AG"),
        cell("Frankfurt"),
    );
    assert_eq!(
        text(&docx(&body, STYLES, NUMBERING)),
        "Dienstleister | Ort\nHosting AG | Frankfurt\n\nAlt neu Box A & B"
    );
}

#[test]
fn pages_split_at_explicit_and_rendered_breaks() {
    let body = format!(
        r#"{}<w:p><w:r><w:br w:type="page"/></w:r></w:p>{}<w:p><w:r><w:t>mitten</w:t></w:r><w:r><w:lastRenderedPageBreak/><w:t> im Absatz</w:t></w:r></w:p>{}<w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r><w:t>vier</w:t></w:r></w:p>"#,
        p(None, None, "eins"),
        p(None, None, "zwei"),
        p(None, None, "drei"),
    );
    assert_eq!(
        text(&docx(&body, STYLES, NUMBERING)),
        "eins\n<PAGE>\nzwei\n\nmitten im Absatz\n<PAGE>\ndrei\n<PAGE>\nvier"
    );
}

#[test]
fn zip_bomb_and_encryption_are_refused() {
    let zeros = vec![b' '; 40 * 1024 * 1024];
    let bomb = zip_of(&[("word/document.xml", &zeros)]);
    assert_eq!(extract(&bomb).unwrap_err().kind(), ErrorKind::TooLarge);
    let mut locked = docx(&p(None, None, "geheim"), "", "");
    mark_encrypted(&mut locked);
    assert_eq!(extract(&locked).unwrap_err().kind(), ErrorKind::Encrypted);
    let broken = zip_of(&[("word/document.xml", b"<w:document><w:body>")]);
    assert_eq!(extract(&broken).unwrap_err().kind(), ErrorKind::Corrupt);
}
