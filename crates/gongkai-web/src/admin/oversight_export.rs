//! The 通报 of a year's review: XLSX (the ranking with every term, units × findings with their
//! decisions, the units that did not report) and DOCX (a narrative per level with the figures,
//! drafted from the same data the workbench shows, like the report's own prose: it states only
//! what the records hold).

use super::oversight_model::{self as model, LevelSum, UnitYear, level_label};
use gongkai_law::Table3Row;

/// Why an export could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// rust_xlsxwriter failed.
    #[error("无法生成 XLSX：{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// docx-rs failed.
    #[error("无法生成 DOCX：{0}")]
    Docx(String),
}

/// How many lines `text` takes in a wrapped cell `width` characters wide (a Chinese character
/// is two). Spreadsheets do not grow a row for wrapped text they did not lay out themselves, so
/// the row is given its height: a clipped cell would hide its figures on paper.
fn wrapped_lines(text: &str, width: usize) -> u32 {
    let units: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    // A little under the width: fonts differ, and a wrap never splits a number.
    let per_line = (width.saturating_sub(4)).max(1);
    u32::try_from(units.div_ceil(per_line).max(1)).unwrap_or(u32::MAX)
}

/// The height in points of a row of `lines` lines of 11-point text.
fn row_height(lines: u32) -> f64 {
    f64::from(lines.min(40)) * 15.0 + 3.0
}

/// The workbook: 「风险排名」, 「问题明细」, 「未报送」.
pub fn xlsx(units: &[UnitYear], year: i32) -> Result<Vec<u8>, ExportError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let head = Format::new().set_bold().set_text_wrap();
    // Long texts wrap in their cell: a clipped cell would hide its figures on paper.
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let rank = wb.add_worksheet();
    rank.set_name("风险排名")?;
    let cols = [
        "名次",
        "单位",
        "层级",
        "报送情况",
        "确认错误",
        "待核错误",
        "警告",
        "同比异常",
        "逾期",
        "未报送",
        "风险评分",
        "计分说明",
    ];
    for (c, h) in cols.iter().enumerate() {
        rank.write_with_format(0, c as u16, *h, &head)?;
    }
    rank.set_column_width(1, 36)?;
    rank.set_column_width(11, 60)?;
    for (i, u) in model::ranking(units).into_iter().enumerate() {
        let row = i as u32 + 1;
        let t = u.risk;
        rank.write(row, 0, row)?;
        rank.write_with_format(row, 1, &u.unit.name, &wrap)?;
        rank.write(row, 2, level_label(u.unit.level))?;
        rank.write(
            row,
            3,
            match (&u.report, u.late) {
                (None, _) => "未报送",
                (Some(_), true) => "逾期报送",
                (Some(_), false) => "已报送",
            },
        )?;
        rank.write(row, 4, t.confirmed_errors as f64)?;
        rank.write(row, 5, t.open_errors as f64)?;
        rank.write(row, 6, t.warnings as f64)?;
        rank.write(row, 7, t.anomalies as f64)?;
        rank.write(row, 8, if t.late { "是" } else { "否" })?;
        rank.write(row, 9, if t.missing { "是" } else { "否" })?;
        rank.write(row, 10, t.score() as f64)?;
        rank.write_with_format(row, 11, t.explain(), &wrap)?;
        let lines = wrapped_lines(&u.unit.name, 36).max(wrapped_lines(&t.explain(), 60));
        rank.set_row_height(row, row_height(lines))?;
    }
    let sheet = wb.add_worksheet();
    sheet.set_name("问题明细")?;
    let cols = [
        "单位",
        "年度",
        "规则",
        "级别",
        "位置",
        "说明",
        "判定",
        "判定说明",
        "判定人",
    ];
    for (c, h) in cols.iter().enumerate() {
        sheet.write_with_format(0, c as u16, *h, &head)?;
    }
    sheet.set_column_width(0, 36)?;
    sheet.set_column_width(5, 80)?;
    sheet.set_column_width(7, 40)?;
    let mut row = 1u32;
    for u in units {
        for f in &u.findings {
            sheet.write_with_format(row, 0, &u.unit.name, &wrap)?;
            sheet.write(row, 1, year)?;
            sheet.write(row, 2, f.finding.rule.id())?;
            sheet.write(
                row,
                3,
                if f.finding.is_error() {
                    "错误"
                } else {
                    "警告"
                },
            )?;
            let place: Vec<&str> = [&f.finding.table, &f.finding.row, &f.finding.column]
                .iter()
                .filter_map(|x| x.as_deref())
                .collect();
            sheet.write_with_format(row, 4, place.join(" / "), &wrap)?;
            sheet.write_with_format(row, 5, &f.finding.message, &wrap)?;
            sheet.write(row, 6, f.state_label())?;
            let mut lines =
                wrapped_lines(&u.unit.name, 36).max(wrapped_lines(&f.finding.message, 80));
            if let Some(d) = &f.decision {
                sheet.write_with_format(row, 7, &d.note, &wrap)?;
                sheet.write(row, 8, &d.decided_by)?;
                lines = lines.max(wrapped_lines(&d.note, 40));
            }
            sheet.set_row_height(row, row_height(lines))?;
            row += 1;
        }
    }
    let missing = wb.add_worksheet();
    missing.set_name("未报送")?;
    for (c, h) in ["单位", "层级", "报送期限"].iter().enumerate() {
        missing.write_with_format(0, c as u16, *h, &head)?;
    }
    missing.set_column_width(0, 36)?;
    for (row, u) in (1u32..).zip(units.iter().filter(|u| u.report.is_none())) {
        missing.write(row, 0, &u.unit.name)?;
        missing.write(row, 1, level_label(u.unit.level))?;
        missing.write(row, 2, u.deadline.map_or(String::new(), |d| d.to_string()))?;
    }
    Ok(wb.save_to_buffer()?)
}

/// The paragraphs of the 通报, from the same figures as the page.
pub fn narrative(office: &str, units: &[UnitYear], sums: &[LevelSum], year: i32) -> Vec<String> {
    let reported = units.iter().filter(|u| u.report.is_some()).count();
    let missing: Vec<&str> = units
        .iter()
        .filter(|u| u.report.is_none())
        .map(|u| u.unit.name.as_str())
        .collect();
    let late: Vec<&str> = units
        .iter()
        .filter(|u| u.late)
        .map(|u| u.unit.name.as_str())
        .collect();
    let count = |pred: &dyn Fn(&model::DecidedFinding) -> bool| -> usize {
        units
            .iter()
            .flat_map(|u| &u.findings)
            .filter(|f| pred(f))
            .count()
    };
    let errors = count(&|f| f.finding.is_error() && !f.dismissed());
    let confirmed = count(&|f| f.finding.is_error() && f.confirmed());
    let dismissed = count(&|f| f.dismissed());
    let warnings = count(&|f| !f.finding.is_error() && !f.dismissed());
    let mut out = vec![format!(
        "根据《中华人民共和国政府信息公开条例》第四十九条、第五十条规定，{office}对所属{}个单位{year}年度政府信息公开工作年度报告进行了审查。现将有关情况通报如下。",
        units.len()
    )];
    let mut p = format!(
        "一、报送情况。应报送{}个单位，已报送{reported}个",
        units.len()
    );
    if missing.is_empty() {
        p.push_str("，全部按要求报送");
    } else {
        p.push_str(&format!(
            "，未报送{}个（{}）",
            missing.len(),
            missing.join("、")
        ));
    }
    if !late.is_empty() {
        p.push_str(&format!(
            "；逾期报送{}个（{}）",
            late.len(),
            late.join("、")
        ));
    }
    p.push('。');
    out.push(p);
    out.push(format!(
        "二、审查发现的问题。经逐表核对勾稽关系并与上一年度报告比对，共发现错误{errors}处（其中经核实确认{confirmed}处），警告{warnings}处；经核实排除{dismissed}处。"
    ));
    out.push("三、分层级汇总情况。".to_string());
    for l in sums {
        let mut p = format!(
            "{}：共{}个单位，纳入汇总{}个",
            level_label(l.level),
            l.units,
            l.summed
        );
        if let Some(s) = &l.sum {
            p.push_str(&format!(
                "，合计本年新收政府信息公开申请{}件，上年结转{}件，办理结果总计{}件，结转下年度继续办理{}件，行政复议和行政诉讼合计{}件",
                model::total(s, Table3Row::NewReceived),
                model::total(s, Table3Row::CarriedIn),
                model::total(s, Table3Row::ResultsTotal),
                model::total(s, Table3Row::CarriedOut),
                model::appeals_total(s)
            ));
        }
        if !l.double_counted.is_empty() {
            p.push_str(&format!(
                "；{}为汇总报告，已含所属单位数据，为避免重复计算未纳入本层级合计",
                l.double_counted.join("、")
            ));
        }
        if !l.other_format.is_empty() {
            p.push_str(&format!(
                "；{}使用的报告格式与本层级其他单位不同，未纳入合计",
                l.other_format.join("、")
            ));
        }
        p.push('。');
        out.push(p);
    }
    let ranked = model::ranking(units);
    let top: Vec<String> = ranked
        .iter()
        .filter(|u| u.risk.score() > 0)
        .take(5)
        .map(|u| {
            format!(
                "{}（{}分：{}）",
                u.unit.name,
                u.risk.score(),
                u.risk.explain()
            )
        })
        .collect();
    out.push(format!(
        "四、风险排名。按确认错误每处10分、待核错误每处5分、警告每处1分、同比异常每处3分、逾期报送10分、未报送30分计算风险评分，{}",
        if top.is_empty() {
            "各单位均无扣分项。".to_string()
        } else {
            format!("评分居前的单位为：{}。", top.join("；"))
        }
    ));
    out.push("五、工作要求。请存在问题的单位对照本通报逐项核实整改，更正后的年度报告应及时在本单位政府信息公开专栏重新发布，并报送整改情况。".to_string());
    out
}

/// The 通报 as a Word document in the official-document style (GB/T 9704 page, 仿宋 三号).
pub fn docx(
    office: &str,
    units: &[UnitYear],
    sums: &[LevelSum],
    year: i32,
    dated: chrono::NaiveDate,
) -> Result<Vec<u8>, ExportError> {
    use chrono::Datelike;
    use docx_rs::{
        AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType,
    };
    let fonts = |east_asia: &str| {
        RunFonts::new()
            .east_asia(east_asia)
            .ascii("Times New Roman")
            .hi_ansi("Times New Roman")
    };
    let title = format!("关于{year}年度政府信息公开工作年度报告审查情况的通报");
    let mut doc = Docx::new()
        .page_size(11906, 16838)
        .page_margin(PageMargin {
            top: 2098,
            left: 1588,
            bottom: 1984,
            right: 1474,
            header: 851,
            footer: 992,
            gutter: 0,
        })
        .default_fonts(fonts("仿宋"))
        .default_size(32)
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().after(300))
                .add_run(Run::new().add_text(&title).size(44).fonts(fonts("宋体"))),
        );
    for p in narrative(office, units, sums, year) {
        doc = doc.add_paragraph(
            Paragraph::new()
                .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
                .align(AlignmentType::Both)
                .add_run(Run::new().add_text(p)),
        );
    }
    // The signature and, under it, the date of writing (成文日期, GB/T 9704 7.3.5).
    doc = doc.add_paragraph(Paragraph::new().line_spacing(LineSpacing::new().before(600)));
    for line in [
        office.to_string(),
        format!("{}年{}月{}日", dated.year(), dated.month(), dated.day()),
    ] {
        doc = doc.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Right)
                .indent(None, None, Some(1280), None)
                .add_run(Run::new().add_text(line)),
        );
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| ExportError::Docx(e.to_string()))?;
    Ok(buf.into_inner())
}
