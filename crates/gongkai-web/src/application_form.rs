//! The 政府信息公开申请表 the 指南 offers for download (`/xxgk/guide/application-form.docx`): a
//! Word form for applications in person, by post or by fax, with what Art. 29 of the Regulation
//! asks of an application — the applicant (公民, or 法人或者其他组织) with 身份证明 and contact,
//! the description of the information sought, and the form and way of receiving it — and
//! nothing it does not ask (the 2019 Regulation dropped the 用途). It ends with where to hand it
//! in: the 政府信息公开工作机构 as the system admin set it (「—」 where nothing is set).
//!
//! Written with docx-rs in the letters' GB/T 9704 page setup, the agency as the document's
//! author ([`crate::admin::letters::with_author`]).

use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts, Table, TableCell,
    TableLayoutType, TableRow, VAlignType, WidthType,
};
use gongkai_store::models::site_settings::SiteSettings;

use crate::admin::letters::DocxError;

/// Column widths in twips (A4 with the letters' margins leaves 8845).
const WIDTHS: [usize; 4] = [2000, 2400, 1845, 2600];

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
}

fn text(s: &str, bold: bool) -> Paragraph {
    let mut run = Run::new().add_text(s).size(24).fonts(fonts("宋体"));
    if bold {
        run = run.bold();
    }
    Paragraph::new()
        .line_spacing(LineSpacing::new().before(40).after(40))
        .add_run(run)
}

fn cell(s: &str, span: usize, bold: bool) -> TableCell {
    let first = WIDTHS.iter().take(span).sum::<usize>();
    TableCell::new()
        .add_paragraph(text(s, bold))
        .grid_span(span)
        .width(first, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
}

/// A heading row across the whole table.
fn heading(s: &str) -> TableRow {
    TableRow::new(vec![cell(s, 4, true)])
}

/// A row of two label/blank pairs.
fn pair(a: &str, b: &str) -> TableRow {
    TableRow::new(vec![
        cell(a, 1, false),
        cell("", 1, false),
        cell(b, 1, false),
        cell("", 1, false),
    ])
}

/// A label and a blank (or fixed text) across the other three columns.
fn wide(label: &str, value: &str) -> TableRow {
    TableRow::new(vec![cell(label, 1, false), cell(value, 3, false)])
}

/// The labels of the form, in order, as a reader finds them (for tests and the page).
pub const LABELS: [&str; 12] = [
    "申请人信息",
    "公民",
    "证件名称",
    "证件号码",
    "法人或者其他组织",
    "统一社会信用代码",
    "法定代表人或者主要负责人",
    "所需信息情况",
    "所需政府信息的名称、文号或者便于行政机关查询的其他特征性描述",
    "获取信息的方式",
    "申请人签名（盖章）",
    "申请日期",
];

/// The form of `agency`, naming `office` as where to hand it in.
pub fn docx(agency: &str, office: &SiteSettings) -> Result<Vec<u8>, DocxError> {
    let title = format!("{agency}政府信息公开申请表");
    let blank_lines = "\n\n\n\n";
    let mut described = cell("", 3, false);
    for _ in blank_lines.lines() {
        described = described.add_paragraph(text("", false));
    }
    let rows = vec![
        heading(LABELS[0]),
        heading(LABELS[1]),
        pair("姓名", "工作单位"),
        pair(LABELS[2], LABELS[3]),
        pair("联系电话", "邮政编码"),
        wide("联系地址", ""),
        wide("电子邮箱", ""),
        heading(LABELS[4]),
        pair("名称", LABELS[5]),
        pair(LABELS[6], "联系人姓名"),
        pair("联系电话", "邮政编码"),
        wide("联系地址", ""),
        wide("电子邮箱", ""),
        heading(LABELS[7]),
        TableRow::new(vec![cell(LABELS[8], 1, false), described]),
        wide(
            "信息的载体形式（可选）",
            "□ 纸质　　□ 电子文档　　□ 光盘　　□ 其他：",
        ),
        wide(
            "获取信息的方式（可选）",
            "□ 邮寄　　□ 电子邮件　　□ 当面领取　　□ 现场查阅",
        ),
        pair(LABELS[10], LABELS[11]),
    ];
    let or_dash = |s: &str| {
        if s.trim().is_empty() {
            "—".to_string()
        } else {
            s.trim().to_string()
        }
    };
    let office_name = if office.office_name.trim().is_empty() {
        format!("{agency}政府信息公开工作机构")
    } else {
        office.office_name.trim().to_string()
    };
    let notes = [
        "填写说明：".to_string(),
        "1. 公民填写“公民”栏，法人或者其他组织填写“法人或者其他组织”栏，并附身份证明（公民的身份证件，法人或者其他组织的营业执照、登记证书等）复印件。".to_string(),
        "2. 所需信息请尽量写明名称、文号，或者便于查询的其他特征性描述（《中华人民共和国政府信息公开条例》第二十九条）。".to_string(),
        "3. 申请内容不明确的，行政机关将一次性告知需要补正的事项。".to_string(),
        format!("4. 递交：{office_name}；地址：{}；邮政编码：{}；联系电话：{}；传真：{}；办公时间：{}。", or_dash(&office.office_address), or_dash(&office.postcode), or_dash(&office.phone), or_dash(&office.fax), or_dash(&office.office_hours)),
        "5. 也可以在本网站“依申请公开”栏目在线提交申请。".to_string(),
    ];
    let mut doc = Docx::new()
        .page_size(11906, 16838)
        .page_margin(PageMargin {
            top: 1800,
            left: 1588,
            bottom: 1600,
            right: 1474,
            header: 851,
            footer: 992,
            gutter: 0,
        })
        .default_fonts(fonts("宋体"))
        .default_size(24)
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().after(300))
                .add_run(
                    Run::new()
                        .add_text(&title)
                        .size(36)
                        .bold()
                        .fonts(fonts("宋体")),
                ),
        )
        .add_table(
            Table::new(rows)
                .set_grid(WIDTHS.to_vec())
                .width(WIDTHS.iter().sum(), WidthType::Dxa)
                .layout(TableLayoutType::Fixed),
        );
    for n in notes {
        doc = doc.add_paragraph(
            Paragraph::new()
                .line_spacing(LineSpacing::new().before(60))
                .add_run(Run::new().add_text(n).size(21)),
        );
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| DocxError::new(e.to_string()))?;
    crate::admin::letters::with_author(&buf.into_inner(), agency, &title)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of a DOCX as docx-rs reads it back.
    fn words(bytes: &[u8]) -> String {
        docx_rs::read_docx(bytes).expect("read").json()
    }

    #[test]
    fn the_form_has_every_field_and_names_the_office() {
        let office = SiteSettings {
            office_address: "夏邑县孔祖大道中段县政府院内".into(),
            postcode: "476400".into(),
            phone: "0370-6212345".into(),
            ..SiteSettings::default()
        };
        let bytes = docx("夏邑县人民政府", &office).expect("docx");
        assert!(bytes.starts_with(b"PK"));
        let json = words(&bytes);
        for l in LABELS {
            assert!(json.contains(l), "{l}");
        }
        for s in [
            "夏邑县孔祖大道中段县政府院内",
            "476400",
            "0370-6212345",
            "夏邑县人民政府政府信息公开工作机构",
        ] {
            assert!(json.contains(s), "{s}");
        }
        // The 2019 Regulation asks no purpose of the applicant.
        assert!(!json.contains("用途"));
    }
}
