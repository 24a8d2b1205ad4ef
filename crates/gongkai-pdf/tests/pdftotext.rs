//! The text of a written PDF comes back out of a real reader (poppler's `pdftotext`), character
//! for character: the ToUnicode map is right, and the layout lost nothing. scripts/test installs
//! poppler-utils; without it this test fails rather than passing unseen.

use gongkai_pdf::{Cell, Document, Paragraph, Table};
use std::process::Command;

fn extract(name: &str, pdf: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("gongkai-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).expect("write pdf");
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed: scripts/test installs it");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_character_of_paragraphs_and_cells_is_extracted() {
    let body = "根据《中华人民共和国政府信息公开条例》第三十七条的规定，现将可以公开的部分提供给您；\
                其余部分涉及第三方的个人隐私（身份证号码、联系电话），依法不予公开。编号 A-2026-0042。";
    let mut doc = Document::new("政府信息公开申请答复书", "夏邑县人民政府办公室");
    doc.push(Paragraph::title("政府信息公开申请答复书"));
    doc.push(Paragraph::new("夏政公开〔2026〕1号").center());
    doc.push(Paragraph::body(body));
    doc.push(
        Table::new(vec![3.0, 1.0])
            .row(vec![Cell::centered("项目"), Cell::centered("数量")])
            .row(vec![Cell::new("本年新收申请"), Cell::centered("318")]),
    );
    let text = squeeze(&extract("letter", &doc.render()));
    for expected in [
        "政府信息公开申请答复书",
        "夏政公开〔2026〕1号",
        &squeeze(body),
        "本年新收申请",
        "318",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text:?}");
    }
}

#[test]
fn a_flow_over_many_pages_keeps_its_order() {
    let mut doc = Document::new("t", "a");
    for i in 1..=120 {
        doc.push(Paragraph::body(format!("第{i}段：政府信息公开工作。")));
    }
    let bytes = doc.render();
    let text = extract("pages", &bytes);
    let mut at = 0;
    for i in 1..=120 {
        let needle = format!("第{i}段");
        let found = text[at..]
            .find(&needle)
            .unwrap_or_else(|| panic!("{needle} out of order"));
        at += found + needle.len();
    }
    assert!(text.contains("— 3 —"), "page numbers");
}
