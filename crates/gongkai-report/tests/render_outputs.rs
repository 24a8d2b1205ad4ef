//! Every renderer on every expected report (and a zero report of each format): each output
//! holds every number of the report, HTML escapes what it must, DOCX and XLSX are real zip
//! packages with the form's merged cells.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap should fail loudly

use gongkai_report::Report;
use gongkai_report::model::ReportFormat;
use gongkai_report::render;
use std::io::Read;
use std::path::PathBuf;

fn expected_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reports/expected")
}

/// Every expected report, by file name, plus a zero report of each format.
fn fixtures() -> Vec<(String, Report)> {
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(expected_dir())
        .expect("shared/reports/expected")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 6, "expected reports missing");
    for p in paths {
        let r = Report::from_json(&std::fs::read_to_string(&p).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        out.push((p.file_name().unwrap().to_string_lossy().into_owned(), r));
    }
    out.push((
        "zero-2019".into(),
        Report::zero("某县人民政府", 2020, ReportFormat::Trial2019),
    ));
    out.push((
        "zero-2021".into(),
        Report::zero("某县人民政府", 2023, ReportFormat::Current2021),
    ));
    out
}

/// The numbers in the report's tables (not year or prose), from its canonical JSON.
fn numbers(r: &Report) -> Vec<f64> {
    fn walk(v: &serde_json::Value, out: &mut Vec<f64>) {
        match v {
            serde_json::Value::Number(n) => out.push(n.as_f64().unwrap()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    let mut out = Vec::new();
    for k in ["proactive", "requests", "appeals"] {
        walk(&v[k], &mut out);
    }
    out
}

/// The numeric tokens of a text (runs of digits, `.` and a leading `-`).
fn tokens(s: &str) -> Vec<f64> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || c == '.' || (c == '-' && cur.is_empty()) {
            cur.push(c);
        } else {
            if let Ok(v) = cur.trim_end_matches('.').parse::<f64>() {
                out.push(v);
            }
            cur.clear();
            if c == '-' {
                cur.push(c);
            }
        }
    }
    out
}

/// Asserts that every number of `r` is a distinct numeric token of `text` (a multiset
/// inclusion, so forty zeros need forty zero cells).
fn assert_all_numbers(name: &str, what: &str, r: &Report, text: &str) {
    let mut pool = tokens(text);
    for n in numbers(r) {
        let i = pool
            .iter()
            .position(|t| (t - n).abs() < 1e-9)
            .unwrap_or_else(|| panic!("{name} {what}: number {n} missing"));
        pool.swap_remove(i);
    }
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn unzip(bytes: &[u8]) -> zip::ZipArchive<std::io::Cursor<&[u8]>> {
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a valid zip package")
}

fn entry(z: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> String {
    let mut s = String::new();
    z.by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the package"))
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// The text of every `<w:t>` run of a WordprocessingML part, space-separated.
fn docx_text(xml: &str) -> String {
    let mut out = String::new();
    for piece in xml.split("<w:t").skip(1) {
        let Some(start) = piece.find('>') else {
            continue;
        };
        if piece[..start].ends_with('/') {
            continue;
        }
        let body = &piece[start + 1..];
        if let Some(end) = body.find("</w:t>") {
            out.push_str(&body[..end]);
            out.push(' ');
        }
    }
    out
}

/// The values of the numeric cells of a SpreadsheetML sheet (cells without `t="s"`).
fn xlsx_numbers(sheet: &str) -> String {
    let mut out = String::new();
    for piece in sheet.split("<c ").skip(1) {
        let head = &piece[..piece.find('>').unwrap_or(0)];
        if head.contains("t=\"") {
            continue;
        }
        if let (Some(a), Some(b)) = (piece.find("<v>"), piece.find("</v>")) {
            out.push_str(&piece[a + 3..b]);
            out.push(' ');
        }
    }
    out
}

#[test]
fn text_holds_every_number_and_the_forms_layout() {
    for (name, r) in fixtures() {
        let t = render::text(&r);
        assert_all_numbers(&name, "text", &r, &t);
        assert!(t.starts_with(&format!("{}{}年政府信息公开工作年度报告", r.agency, r.year)));
        assert!(t.contains(
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t\t申请人情况"
        ));
        assert!(t.contains("\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计\n"));
        let mut at = 0;
        for h in [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ] {
            at += t[at..]
                .find(&format!("\n{h}\n"))
                .unwrap_or_else(|| panic!("{name}: {h} in order"));
        }
    }
}

#[test]
fn markdown_holds_every_number() {
    for (name, r) in fixtures() {
        let md = render::markdown(&r);
        assert_all_numbers(&name, "markdown", &r, &md);
        assert_eq!(md.matches("\n|---|").count(), 3, "{name}: three GFM tables");
    }
}

#[test]
fn html_holds_every_number_in_real_tables() {
    for (name, r) in fixtures() {
        let h = render::html(&r);
        assert_all_numbers(&name, "html", &r, &strip_tags(&h));
        assert!(h.contains("<html lang=\"zh-CN\">"));
        assert_eq!(h.matches("<table>").count(), 3, "{name}");
        assert_eq!(h.matches("<caption>").count(), 3, "{name}");
        assert!(h.contains("<th scope=\"colgroup\" colspan=\"10\">行政诉讼</th>"));
        let f = render::html_fragment(&r);
        assert!(h.contains(&f), "{name}: the page embeds the fragment");
    }
}

#[test]
fn html_escapes_a_script_in_the_agency_name() {
    for f in [ReportFormat::Trial2019, ReportFormat::Current2021] {
        let mut r = Report::zero("<script>alert('x')</script>人民政府", 2021, f);
        r.sections
            .insert("6".into(), "<script>evil()</script> & more".into());
        let h = render::html(&r);
        assert!(!h.contains("<script"), "{h}");
        assert!(h.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;人民政府"));
        assert!(h.contains("&lt;script&gt;evil()&lt;/script&gt; &amp; more"));
        assert!(!render::html_fragment(&r).contains("<script"));
    }
}

#[test]
fn json_is_the_canonical_json() {
    for (name, r) in fixtures() {
        assert_eq!(render::json(&r), r.to_json(), "{name}");
        assert_eq!(Report::from_json(&render::json(&r)).unwrap(), r, "{name}");
    }
}

#[test]
fn docx_is_a_word_package_with_every_number_and_merged_headers() {
    for (name, r) in fixtures() {
        let bytes = render::docx(&r).unwrap();
        let mut z = unzip(&bytes);
        let doc = entry(&mut z, "word/document.xml");
        assert_all_numbers(&name, "docx", &r, &docx_text(&doc));
        assert_eq!(doc.matches("<w:tbl>").count(), 3, "{name}");
        assert!(
            doc.contains("<w:gridSpan w:val=\"7\" />") || doc.contains("<w:gridSpan w:val=\"7\"/>")
        );
        assert!(doc.contains("w:val=\"restart\""), "{name}: vMerge restart");
        assert!(doc.contains("<w:vMerge"), "{name}");
        assert!(
            doc.contains("w:eastAsia=\"宋体\""),
            "{name}: CJK table font"
        );
        let styles = entry(&mut z, "word/styles.xml");
        assert!(
            styles.contains("w:eastAsia=\"仿宋\""),
            "{name}: CJK body font"
        );
        assert!(styles.contains("heading 1"), "{name}");
        assert!(docx_text(&doc).contains(&r.agency));
    }
}

#[test]
fn xlsx_has_three_sheets_numbers_as_numbers_and_merged_headers() {
    for (name, r) in fixtures() {
        let bytes = render::xlsx(&r).unwrap();
        let mut z = unzip(&bytes);
        let wb = entry(&mut z, "xl/workbook.xml");
        for sheet in ["表二 主动公开", "表三 依申请公开", "表四 复议诉讼"] {
            assert!(wb.contains(sheet), "{name}: sheet {sheet}");
        }
        let mut all = String::new();
        for i in 1..=3 {
            let s = entry(&mut z, &format!("xl/worksheets/sheet{i}.xml"));
            assert!(s.contains("<mergeCell ref="), "{name} sheet {i}");
            all.push_str(&xlsx_numbers(&s));
        }
        assert_all_numbers(&name, "xlsx", &r, &all);
        let strings = entry(&mut z, "xl/sharedStrings.xml");
        assert!(strings.contains("申请人情况") && strings.contains("法人或其他组织"));
        assert!(strings.contains(&r.agency));
        let styles = entry(&mut z, "xl/styles.xml");
        if r.format == ReportFormat::Trial2019 {
            assert!(
                styles.contains("formatCode=\"0.0000\""),
                "{name}: 4 decimals"
            );
        }
    }
}

#[test]
fn to_file_names_an_unknown_extension() {
    let r = Report::zero("某局", 2021, ReportFormat::Current2021);
    let p = std::env::temp_dir().join("gongkai-render-outputs.odt");
    let e = render::to_file(&r, &p).unwrap_err();
    assert!(e.to_string().contains(".odt"), "{e}");
    assert!(!p.exists());
}
