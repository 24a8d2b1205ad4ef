//! The readers on real files (made by LibreOffice, Chromium and our own gongkai-pdf from the
//! published reports in ../shared/reports) and on the hostile files of issue 12.
#![allow(clippy::unwrap_used, missing_docs)]

use std::path::Path;
use std::time::Duration;

use gongkai_extract::{
    Block, Budget, ExtractError, Limit, hostile, read_docx, read_html, read_pdf, read_text,
    read_xlsx,
};

fn data(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    )
    .unwrap()
}

fn limit_of(r: Result<impl std::fmt::Debug, ExtractError>) -> Limit {
    let e = r.unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("「") && text.contains("超出处理上限"),
        "{text}"
    );
    e.limit().unwrap_or_else(|| panic!("not a limit: {e}"))
}

#[test]
fn docx_tables_and_paragraphs_in_order() {
    let doc = read_docx("表.docx", &data("2019-004-table.docx"), &Budget::default()).unwrap();
    assert_eq!(
        doc.blocks.first(),
        Some(&Block::Paragraph(
            "三、收到和处理政府信息公开申请情况".into()
        ))
    );
    assert_eq!(
        doc.blocks.last(),
        Some(&Block::Paragraph(
            "四、政府信息公开行政复议、行政诉讼情况".into()
        ))
    );
    let table = doc.tables().next().unwrap();
    let row = table
        .iter()
        .find(|r| r.iter().any(|c| c.contains("本年新收政府信息公开申请数量")))
        .unwrap();
    // The published row: 自然人 23, then the organisations' columns and the total.
    let numbers: Vec<&str> = row
        .iter()
        .map(String::as_str)
        .filter(|c| c.chars().all(|ch| ch.is_ascii_digit()) && !c.is_empty())
        .collect();
    assert_eq!(numbers.first(), Some(&"23"), "{row:?}");
    assert!(doc.text().contains("本年新收政府信息公开申请数量\t"));
}

fn pdf_lines(name: &str) -> Vec<String> {
    let pdf = read_pdf(name, &data(name), &Budget::default()).unwrap();
    pdf.pages.iter().flat_map(|p| p.lines()).collect()
}

#[test]
fn libreoffice_pdf_text_reads_as_pdftotext_does() {
    let lines = pdf_lines("2020-014-libreoffice.pdf");
    assert_eq!(lines[0], "乌海市工业和信息化局");
    assert_eq!(lines[1], "政府信息公开工作年度报告");
    assert!(
        lines.iter().any(|l| l == "二、主动公开政府信息情况"),
        "{lines:#?}"
    );
    let all = lines.join("\n");
    // pdftotext puts spaces between the CJK and Latin fonts; the source has none.
    assert!(all.contains("根据乌海市2020年政务公开工作要点"), "{all}");
    assert!(all.contains("2020年度主动公开政府信息总数2942条"), "{all}");
}

/// The table row of the PDF, rebuilt from run positions: the label, then its numbers, each a
/// cell of its own.
fn check_table_row(name: &str) {
    let pdf = read_pdf(name, &data(name), &Budget::default()).unwrap();
    let label = "一、本年新收政府信息公开申请数量";
    let line = pdf.pages[0]
        .lines()
        .into_iter()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("{name}: {:#?}", pdf.pages[0].lines()));
    let cells: Vec<&str> = line[label.len()..].split_whitespace().collect();
    // 自然人 23, the organisations' columns 0, the total 23.
    assert_eq!(cells.first(), Some(&"23"), "{name}: {line}");
    assert_eq!(cells.last(), Some(&"23"), "{name}: {line}");
    assert!(
        cells[1..cells.len() - 1].iter().all(|c| *c == "0"),
        "{name}: {line}"
    );
    // The runs carry their places: a run 23 on the baseline of a run that starts the label
    // (一, 一、 or the whole label), well right of it, in a body text's size.
    let found = pdf.runs().filter(|r| r.text.trim() == "23").any(|n23| {
        pdf.runs().any(|l| {
            l.text.starts_with('一')
                && (l.y - n23.y).abs() < 3.0
                && n23.x > l.x + 100.0
                && l.font_size > 5.0
                && l.font_size < 20.0
        })
    });
    assert!(found, "{name}");
}

#[test]
fn libreoffice_pdf_table_rows_from_positions() {
    check_table_row("2019-004-table-libreoffice.pdf");
}

#[test]
fn chromium_pdf_with_type3_fonts() {
    check_table_row("2019-004-table-chromium.pdf");
}

#[test]
fn our_own_pdf_with_a_cid_font() {
    use gongkai_pdf::{Cell, Document, Paragraph, Table};
    let mut doc = Document::new("答复书", "县政府办公室");
    doc.push(Paragraph::title("政府信息公开申请答复书"));
    doc.push(Table::new(vec![2.0, 1.0, 1.0]).row(vec![
        Cell::new("一、本年新收政府信息公开申请数量"),
        Cell::centered("318"),
        Cell::centered("18"),
    ]));
    let pdf = read_pdf("答复书.pdf", &doc.render(), &Budget::default()).unwrap();
    let lines = pdf.pages[0].lines();
    assert!(
        lines.contains(&"政府信息公开申请答复书".to_string()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"一、本年新收政府信息公开申请数量\t318\t18".to_string()),
        "{lines:?}"
    );
}

#[test]
fn sparse_xlsx_is_two_cells_and_refused_by_its_columns() {
    let file = hostile::sparse_xlsx();
    assert!(file.len() < 2048, "{}", file.len());
    assert_eq!(
        limit_of(read_xlsx("稀疏.xlsx", &file, &Budget::default())),
        Limit::Rows(100_000)
    );
    // With room for the rows, the columns stop it; with room for both, it is two cells.
    let tall = Budget {
        max_rows: 1_048_576,
        ..Budget::default()
    };
    assert_eq!(
        limit_of(read_xlsx("稀疏.xlsx", &file, &tall)),
        Limit::Cols(1000)
    );
    let all = Budget {
        max_cols: 16_384,
        max_rows: 1_048_576,
        ..Budget::default()
    };
    let wb = read_xlsx("稀疏.xlsx", &file, &all).unwrap();
    assert_eq!(wb.sheets[0].cells.len(), 2);
    assert_eq!(wb.sheets[0].cells[0].value.text(), "甲");
}

#[test]
fn xlsx_cells_dates_and_rows() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "申请人").unwrap();
    ws.write_string(0, 2, "收到日期").unwrap();
    ws.write_number(1, 0, 12.0).unwrap();
    ws.write_number(1, 1, 1.5).unwrap();
    let date = ExcelDateTime::from_ymd(2020, 1, 5).unwrap();
    ws.write_datetime_with_format(1, 2, &date, &Format::new().set_num_format("yyyy-mm-dd"))
        .unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let book = read_xlsx("台账.xlsx", &bytes, &Budget::default()).unwrap();
    assert_eq!(
        book.sheets[0].rows(),
        vec![
            vec!["申请人".to_string(), String::new(), "收到日期".into()],
            vec!["12".into(), "1.5".into(), "2020-01-05".into()],
        ]
    );
}

#[test]
fn many_part_docx_stops_at_the_total() {
    // Nine parts of 2 MiB under a total of 16 MiB: each under it, together over it (the
    // probe's nine 50 MiB parts against the default budget are the web upload tests' file).
    let file = hostile::many_part_docx(9, 2 * 1024 * 1024);
    assert!(file.len() < 64 * 1024, "{}", file.len());
    let b = Budget {
        max_inflated_bytes: 16 * 1024 * 1024,
        ..Budget::default()
    };
    assert_eq!(
        limit_of(read_docx("多部件.docx", &file, &b)),
        Limit::InflatedBytes(16 * 1024 * 1024)
    );
    // Under a text limit, the text limit holds on its own.
    let small = Budget {
        max_text_bytes: 1024 * 1024,
        ..Budget::default()
    };
    assert_eq!(
        limit_of(read_docx("多部件.docx", &file, &small)),
        Limit::TextBytes(1024 * 1024)
    );
}

#[test]
fn overlapping_entries_are_refused() {
    let file = hostile::overlapping_docx(4, 1024 * 1024);
    assert_eq!(
        limit_of(read_docx("重叠.docx", &file, &Budget::default())),
        Limit::OverlappingEntries
    );
}

#[test]
fn too_many_entries_are_refused() {
    let file = hostile::many_part_docx(40, 10);
    let b = Budget {
        max_entries: 20,
        ..Budget::default()
    };
    assert_eq!(
        limit_of(read_docx("条目.docx", &file, &b)),
        Limit::Entries(20)
    );
}

#[test]
fn deep_xml_is_refused() {
    let file = hostile::deep_docx(100_000);
    assert_eq!(
        limit_of(read_docx("深.docx", &file, &Budget::default())),
        Limit::XmlDepth(128)
    );
    // The same nesting in a workbook part never reaches calamine.
    let mut sheet = String::from(
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    sheet.push_str(&"<x>".repeat(10_000));
    sheet.push_str(&"</x>".repeat(10_000));
    sheet.push_str("</sheetData></worksheet>");
    let file = hostile::xlsx_with_sheet(&sheet);
    assert_eq!(
        limit_of(read_xlsx("深.xlsx", &file, &Budget::default())),
        Limit::XmlDepth(128)
    );
}

#[test]
fn pdf_object_stream_bomb_is_refused() {
    let file = hostile::objstm_bomb_pdf(24 * 1024 * 1024);
    assert!(file.len() < 64 * 1024, "{}", file.len());
    let limit = limit_of(read_pdf("炸弹.pdf", &file, &Budget::default()));
    // The object streams' share of the budget (an eighth) stops it.
    assert_eq!(limit, Limit::InflatedBytes(8 * 1024 * 1024));
    // A small object stream of the same shape reads (a page without text).
    let ok = read_pdf(
        "小.pdf",
        &hostile::objstm_bomb_pdf(1000),
        &Budget::default(),
    )
    .unwrap();
    assert_eq!(ok.pages.len(), 1);
}

#[test]
fn objstm_index_pointing_twice_at_one_place_is_refused() {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    z.write_all(b"5 0 6 0 7 0 [1 2 3]").unwrap();
    let stream = z.finish().unwrap();
    let mut objstm = format!(
        "<< /Type /ObjStm /N 3 /First 12 /Filter /FlateDecode /Length {} >>\nstream\n",
        stream.len()
    )
    .into_bytes();
    objstm.extend_from_slice(&stream);
    objstm.extend_from_slice(b"\nendstream");
    let file = hostile::pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec(),
        objstm,
    ]);
    let e = read_pdf("索引.pdf", &file, &Budget::default()).unwrap_err();
    assert!(matches!(e, ExtractError::Unreadable { .. }), "{e}");
    assert!(e.to_string().contains("对象流索引异常"), "{e}");
}

#[test]
fn garbage_is_unreadable_not_a_panic() {
    let b = Budget::default();
    for (name, bytes) in [
        ("a.docx", &b"not a zip"[..]),
        ("a.xlsx", b"PK\x03\x04garbage"),
        ("a.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog"),
        ("a.pdf", b"hello"),
    ] {
        let r = match name {
            "a.docx" => read_docx(name, bytes, &b).map(|_| ()),
            "a.xlsx" => read_xlsx(name, bytes, &b).map(|_| ()),
            _ => read_pdf(name, bytes, &b).map(|_| ()),
        };
        let e = r.unwrap_err();
        assert!(matches!(e, ExtractError::Unreadable { .. }), "{name}: {e}");
        assert!(e.to_string().contains(name), "{e}");
    }
}

#[test]
fn file_size_is_checked_first() {
    let b = Budget {
        max_file_bytes: 1024,
        ..Budget::default()
    };
    let big = vec![b'a'; 2048];
    assert_eq!(
        limit_of(read_pdf("大.pdf", &big, &b)),
        Limit::FileBytes(1024)
    );
    assert_eq!(
        limit_of(read_html("大.html", &big, &b)),
        Limit::FileBytes(1024)
    );
    assert_eq!(
        limit_of(read_text("大.txt", &big, &b)),
        Limit::FileBytes(1024)
    );
}

#[test]
fn wall_time_is_enforced() {
    let b = Budget {
        max_time: Duration::ZERO,
        ..Budget::default()
    };
    let file = hostile::many_part_docx(1, 4 * 1024 * 1024);
    assert!(matches!(
        limit_of(read_docx("慢.docx", &file, &b)),
        Limit::Time(_)
    ));
}

#[test]
fn read_path_stops_at_the_file_limit() {
    let b = Budget {
        max_file_bytes: 16,
        ..Budget::default()
    };
    let dir = std::env::temp_dir().join(format!("gongkai-extract-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let small = dir.join("small.txt");
    std::fs::write(&small, b"0123456789abcdef").unwrap();
    assert_eq!(gongkai_extract::read_path(&small, &b).unwrap().len(), 16);
    std::fs::write(&small, b"0123456789abcdefg").unwrap();
    let e = gongkai_extract::read_path(&small, &b).unwrap_err();
    assert_eq!(e.limit(), Some(Limit::FileBytes(16)));
    let missing = gongkai_extract::read_path(&dir.join("none.xlsx"), &b).unwrap_err();
    assert!(matches!(missing, ExtractError::Io { .. }), "{missing}");
    assert!(missing.to_string().contains("none.xlsx"));
    // A device that never ends is cut at the limit.
    let e = gongkai_extract::read_path(Path::new("/dev/zero"), &b).unwrap_err();
    assert_eq!(e.limit(), Some(Limit::FileBytes(16)));
    std::fs::remove_dir_all(&dir).unwrap();
}
