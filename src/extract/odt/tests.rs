//! The OpenDocument reader on small packages built in the tests: numbering, headings, tables,
//! page breaks, and what is left out.

use super::super::package::tests::{page_texts, zip_of};
use super::*;

const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0""#;

fn odt(automatic: &str, body: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:automatic-styles>{automatic}</office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
    );
    let styles = format!(
        r#"<office:document-styles {NS}><office:master-styles><style:master-page style:name="Standard"><style:header><text:p>KOPFZEILE Vertraulich</text:p></style:header><style:footer><text:p>FUSSZEILE Seite <text:page-number/></text:p></style:footer></style:master-page></office:master-styles></office:document-styles>"#
    );
    zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content.as_bytes()),
        ("styles.xml", styles.as_bytes()),
    ])
}

fn text(bytes: &[u8]) -> String {
    page_texts(extract(bytes), Format::Odt)
}

const LISTS: &str = r#"
    <text:list-style style:name="L1">
      <text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="."/>
      <text:list-level-style-number text:level="2" style:num-format="1" text:display-levels="2"/>
      <text:list-level-style-number text:level="3" style:num-format="a" style:num-suffix=")"/>
    </text:list-style>
    <text:list-style style:name="L2"><text:list-level-style-bullet text:level="1" text:bullet-char="•"/></text:list-style>
    <style:style style:name="P9" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style>"#;

#[test]
fn headings_lists_numbering_and_no_headers_or_footers() {
    let body = r#"
      <text:table-of-content><text:index-body><text:p>1. Gegenstand 2</text:p></text:index-body></text:table-of-content>
      <text:h text:outline-level="1">Auftragsverarbeitungsvertrag</text:h>
      <text:h text:outline-level="2"><text:number>§ 1</text:number>Gegenstand</text:h>
      <text:p>Der Auftragnehmer<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>Fußnote</text:p></text:note-body></text:note> verarbeitet
         Daten.<office:annotation><text:p>Kommentar</text:p></office:annotation></text:p>
      <text:list text:style-name="L1">
        <text:list-item><text:p>Gegenstand</text:p>
          <text:list><text:list-item><text:p>erster Unterpunkt</text:p></text:list-item>
            <text:list-item><text:p>zweiter Unterpunkt</text:p>
              <text:list><text:list-item><text:p>tief</text:p></text:list-item></text:list>
            </text:list-item></text:list>
        </text:list-item>
        <text:list-item><text:p>Weisungen</text:p><text:p>Fortsetzung</text:p></text:list-item>
      </text:list>
      <text:p>Zwischentext</text:p>
      <text:list text:style-name="L1" text:continue-numbering="true"><text:list-item><text:p>Dritter</text:p></text:list-item></text:list>
      <text:list text:style-name="L2"><text:list-item><text:p>Punkt</text:p></text:list-item></text:list>
      <text:p>A<text:s text:c="3"/>B<text:tab/>C<text:line-break/>D</text:p>"#;
    let got = text(&odt(LISTS, body));
    assert_eq!(
        got,
        "# Auftragsverarbeitungsvertrag\n\n## § 1 Gegenstand\n\nDer Auftragnehmer verarbeitet Daten.\n\n1. Gegenstand\n1.1 erster Unterpunkt\n1.2 zweiter Unterpunkt\na) tief\n2. Weisungen\nFortsetzung\n\nZwischentext\n\n3. Dritter\n\n- Punkt\n\nA B C\nD"
    );
    assert!(!got.contains("KOPFZEILE") && !got.contains("FUSSZEILE"));
    assert!(!got.contains("Fußnote") && !got.contains("Kommentar"));
}

#[test]
fn tables_and_page_breaks() {
    let body = r#"
      <text:p>eins</text:p>
      <table:table><table:table-column table:number-columns-repeated="3"/>
        <table:table-header-rows><table:table-row><table:table-cell><text:p>Dienst</text:p></table:table-cell><table:table-cell><text:p>Ort</text:p></table:table-cell></table:table-row></table:table-header-rows>
        <table:table-row><table:table-cell><text:p>Hosting</text:p></table:table-cell><table:covered-table-cell/><table:table-cell><text:p>Frankfurt</text:p></table:table-cell></table:table-row>
      </table:table>
      <text:soft-page-break/>
      <text:p>zwei <draw:frame><svg:title>Logo</svg:title><draw:text-box><text:p>im Rahmen</text:p></draw:text-box></draw:frame></text:p>
      <text:p text:style-name="P9">drei</text:p>"#;
    assert_eq!(
        text(&odt(LISTS, body)),
        "eins\n\nDienst | Ort\nHosting | Frankfurt\n<PAGE>\nim Rahmen\n\nzwei\n<PAGE>\ndrei"
    );
}

#[test]
fn encrypted_and_bomb_are_refused() {
    let locked = zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        (
            "META-INF/manifest.xml",
            b"<manifest:manifest><manifest:file-entry manifest:full-path=\"content.xml\"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>",
        ),
        ("content.xml", b"\x01\x02garbage"),
    ]);
    assert_eq!(extract(&locked).unwrap_err().kind(), ErrorKind::Encrypted);
    let zeros = vec![b'a'; 40 * 1024 * 1024];
    let bomb = zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", &zeros),
    ]);
    assert_eq!(extract(&bomb).unwrap_err().kind(), ErrorKind::TooLarge);
}
