//! The 检查报告 of one 网上巡查 run as the provinces' monthly 通报 give it: the site, the day
//! checked, the verdict and the 19号 score, the veto items, every deduction with its URL and
//! rule, and the trend over the latest runs — as DOCX (for the file) and XLSX (for sums).
//! Built from plain values ([`Sheet`]) so the back office (stored runs) and `gongkai inspect
//! --report` (a run just made) give the same document.

use gongkai_store::models::site_inspection::{SiteInspection, SiteInspectionFinding};

/// One finding of the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetFinding {
    /// The rule id (`COLUMN-STALE` …).
    pub rule: String,
    /// Its Chinese name.
    pub label: String,
    /// Whether it fails the site.
    pub veto: bool,
    /// What it took off, in tenths of a point.
    pub deduction_tenths: i64,
    /// What is at fault.
    pub url: String,
    /// The detail.
    pub detail: String,
}

/// One earlier run in the trend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRun {
    /// When it ran.
    pub ran_at: String,
    /// The day checked.
    pub as_of: String,
    /// 合格, 不合格 or 单项否决.
    pub verdict: String,
    /// The score, or —.
    pub score: String,
    /// Its findings.
    pub findings: i64,
}

/// The 检查报告 of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The site's home page.
    pub url: String,
    /// The day the rules counted from.
    pub as_of: String,
    /// When it ran.
    pub ran_at: String,
    /// 合格, 不合格 or 单项否决.
    pub verdict: String,
    /// The score (`87.5`) or — when a veto left it unscored.
    pub score: String,
    /// Pages fetched.
    pub pages: i64,
    /// The findings, vetoes first.
    pub findings: Vec<SheetFinding>,
    /// The latest runs, newest first.
    pub trend: Vec<SheetRun>,
}

fn tenths(t: i64) -> String {
    format!("{}.{}", t / 10, t % 10)
}

impl Sheet {
    /// The sheet of a stored run, with `label` naming rules and the latest runs as its trend.
    pub fn from_stored(
        run: &SiteInspection,
        findings: &[SiteInspectionFinding],
        latest: &[SiteInspection],
        label: impl Fn(&str) -> &'static str,
    ) -> Sheet {
        let mut findings: Vec<SheetFinding> = findings
            .iter()
            .map(|f| SheetFinding {
                rule: f.rule.clone(),
                label: label(&f.rule).to_string(),
                veto: f.veto,
                deduction_tenths: f.deduction_tenths,
                url: f.url.clone(),
                detail: f.detail.clone(),
            })
            .collect();
        findings.sort_by_key(|f| !f.veto);
        Sheet {
            url: run.url.clone(),
            as_of: run.as_of.to_string(),
            ran_at: run.ran_at.clone(),
            verdict: run.verdict_label().to_string(),
            score: run.score_label(),
            pages: run.pages,
            findings,
            trend: latest
                .iter()
                .map(|r| SheetRun {
                    ran_at: r.ran_at.clone(),
                    as_of: r.as_of.to_string(),
                    verdict: r.verdict_label().to_string(),
                    score: r.score_label(),
                    findings: r.findings,
                })
                .collect(),
        }
    }

    fn summary(&self) -> String {
        let vetoes = self.findings.iter().filter(|f| f.veto).count();
        let scored: Vec<&SheetFinding> = self
            .findings
            .iter()
            .filter(|f| f.deduction_tenths > 0)
            .collect();
        let total: i64 = scored.iter().map(|f| f.deduction_tenths).sum();
        format!(
            "截至 {}，对 {} 开展网上巡查，抓取页面 {} 个。结论：{}；得分：{}。发现单项否决问题 {} 个，扣分问题 {} 个（合计扣 {} 分，按指标封顶计分）。",
            self.as_of,
            self.url,
            self.pages,
            self.verdict,
            self.score,
            vetoes,
            scored.len(),
            tenths(total)
        )
    }

    /// The sheet as a Word document.
    pub fn docx(&self) -> Result<Vec<u8>, String> {
        use docx_rs::{
            AlignmentType, Docx, Paragraph, Run, RunFonts, Table, TableCell, TableRow, WidthType,
        };
        let fonts = |east_asia: &str| {
            RunFonts::new()
                .east_asia(east_asia)
                .ascii("Times New Roman")
                .hi_ansi("Times New Roman")
        };
        let p = |text: &str| Paragraph::new().add_run(Run::new().add_text(text));
        let heading = |text: &str| {
            Paragraph::new().add_run(Run::new().add_text(text).bold().fonts(fonts("黑体")))
        };
        let cell = |text: &str| TableCell::new().add_paragraph(p(text));
        let head_cell = |text: &str| {
            TableCell::new()
                .add_paragraph(Paragraph::new().add_run(Run::new().add_text(text).bold()))
        };
        let mut doc = Docx::new()
            .page_size(11906, 16838)
            .default_fonts(fonts("仿宋"))
            .default_size(24)
            .add_paragraph(
                Paragraph::new().align(AlignmentType::Center).add_run(
                    Run::new()
                        .add_text("政府网站检查报告")
                        .size(40)
                        .fonts(fonts("宋体")),
                ),
            )
            .add_paragraph(p(&format!(
                "依据：《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）。巡查时间：{}。",
                self.ran_at
            )))
            .add_paragraph(p(&self.summary()));
        let sections: [(&str, Vec<&SheetFinding>); 2] = [
            (
                "一、单项否决问题",
                self.findings.iter().filter(|f| f.veto).collect(),
            ),
            (
                "二、扣分问题",
                self.findings.iter().filter(|f| !f.veto).collect(),
            ),
        ];
        for (title, rows) in sections {
            doc = doc.add_paragraph(heading(title));
            if rows.is_empty() {
                doc = doc.add_paragraph(p("无。"));
                continue;
            }
            let mut table = Table::new(vec![TableRow::new(vec![
                head_cell("序号"),
                head_cell("指标"),
                head_cell("扣分"),
                head_cell("网址"),
                head_cell("问题"),
            ])])
            // 序号, 指标, 扣分 narrow; the URL and the problem take the width.
            .set_grid(vec![600, 1900, 700, 2800, 3000])
            .width(9000, WidthType::Dxa);
            for (i, f) in rows.iter().enumerate() {
                let points = if f.veto {
                    "否决".to_string()
                } else {
                    tenths(f.deduction_tenths)
                };
                table = table.add_row(TableRow::new(vec![
                    cell(&(i + 1).to_string()),
                    cell(&format!("{}（{}）", f.label, f.rule)),
                    cell(&points),
                    cell(&f.url),
                    cell(&f.detail),
                ]));
            }
            doc = doc.add_table(table);
        }
        doc = doc.add_paragraph(heading("三、近期巡查趋势"));
        let mut table = Table::new(vec![TableRow::new(vec![
            head_cell("巡查时间"),
            head_cell("检查日"),
            head_cell("结论"),
            head_cell("得分"),
            head_cell("问题数"),
        ])]);
        for r in &self.trend {
            table = table.add_row(TableRow::new(vec![
                cell(&r.ran_at),
                cell(&r.as_of),
                cell(&r.verdict),
                cell(&r.score),
                cell(&r.findings.to_string()),
            ]));
        }
        doc = doc.add_table(table);
        let mut buf = std::io::Cursor::new(Vec::new());
        doc.build().pack(&mut buf).map_err(|e| e.to_string())?;
        Ok(buf.into_inner())
    }

    /// The sheet as a workbook: 概况, 问题清单 (one row a finding), 趋势.
    pub fn xlsx(&self) -> Result<Vec<u8>, String> {
        use rust_xlsxwriter::{Format, Workbook};
        let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let s = book.add_worksheet().set_name("概况").map_err(e)?;
        let rows: [(&str, String); 7] = [
            ("网站", self.url.clone()),
            ("检查日", self.as_of.clone()),
            ("巡查时间", self.ran_at.clone()),
            ("结论", self.verdict.clone()),
            ("得分", self.score.clone()),
            ("抓取页面", self.pages.to_string()),
            ("说明", self.summary()),
        ];
        for (i, (k, v)) in rows.iter().enumerate() {
            let r = i as u32;
            s.write_string_with_format(r, 0, *k, &bold).map_err(e)?;
            s.write_string(r, 1, v).map_err(e)?;
        }
        s.set_column_width(1, 80).map_err(e)?;
        let s = book.add_worksheet().set_name("问题清单").map_err(e)?;
        for (c, h) in ["序号", "规则", "指标", "单项否决", "扣分", "网址", "问题"]
            .iter()
            .enumerate()
        {
            s.write_string_with_format(0, c as u16, *h, &bold)
                .map_err(e)?;
        }
        for (i, f) in self.findings.iter().enumerate() {
            let r = i as u32 + 1;
            s.write_number(r, 0, (i + 1) as f64).map_err(e)?;
            s.write_string(r, 1, &f.rule).map_err(e)?;
            s.write_string(r, 2, &f.label).map_err(e)?;
            s.write_string(r, 3, if f.veto { "是" } else { "否" })
                .map_err(e)?;
            s.write_number(r, 4, f.deduction_tenths as f64 / 10.0)
                .map_err(e)?;
            s.write_string(r, 5, &f.url).map_err(e)?;
            s.write_string(r, 6, &f.detail).map_err(e)?;
        }
        s.set_column_width(5, 50).map_err(e)?;
        s.set_column_width(6, 60).map_err(e)?;
        let s = book.add_worksheet().set_name("趋势").map_err(e)?;
        for (c, h) in ["巡查时间", "检查日", "结论", "得分", "问题数"]
            .iter()
            .enumerate()
        {
            s.write_string_with_format(0, c as u16, *h, &bold)
                .map_err(e)?;
        }
        for (i, r) in self.trend.iter().enumerate() {
            let row = i as u32 + 1;
            s.write_string(row, 0, &r.ran_at).map_err(e)?;
            s.write_string(row, 1, &r.as_of).map_err(e)?;
            s.write_string(row, 2, &r.verdict).map_err(e)?;
            s.write_string(row, 3, &r.score).map_err(e)?;
            s.write_number(row, 4, r.findings as f64).map_err(e)?;
        }
        book.save_to_buffer().map_err(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet() -> Sheet {
        Sheet {
            url: "http://127.0.0.1:8080/".into(),
            as_of: "2020-12-31".into(),
            ran_at: "2021-01-01T00:00:00Z".into(),
            verdict: "合格".into(),
            score: "94.0".into(),
            pages: 120,
            findings: vec![
                SheetFinding {
                    rule: "COLUMN-STALE".into(),
                    label: "栏目不更新".into(),
                    veto: false,
                    deduction_tenths: 50,
                    url: "http://127.0.0.1:8080/yw".into(),
                    detail: "栏目「要闻」最新信息日期为 2020-11-01".into(),
                },
                SheetFinding {
                    rule: "DATE-MISSING".into(),
                    label: "未标注发布日期".into(),
                    veto: false,
                    deduction_tenths: 10,
                    url: "http://127.0.0.1:8080/a/1".into(),
                    detail: "信息页「一」未显示发布日期".into(),
                },
            ],
            trend: vec![SheetRun {
                ran_at: "2021-01-01T00:00:00Z".into(),
                as_of: "2020-12-31".into(),
                verdict: "合格".into(),
                score: "94.0".into(),
                findings: 2,
            }],
        }
    }

    #[test]
    fn the_report_names_every_deduction_with_its_url() {
        let s = sheet();
        assert!(s.summary().contains("得分：94.0"));
        assert!(s.summary().contains("扣分问题 2 个（合计扣 6.0 分"));
        let docx = s.docx().expect("docx");
        let json = docx_rs::read_docx(&docx).expect("read docx").json();
        for text in [
            "政府网站检查报告",
            "国办秘函〔2019〕19号",
            "一、单项否决问题",
            "无。",
            "栏目不更新（COLUMN-STALE）",
            "http://127.0.0.1:8080/yw",
            "5.0",
            "http://127.0.0.1:8080/a/1",
            "三、近期巡查趋势",
        ] {
            assert!(json.contains(text), "{text}");
        }
        let xlsx = s.xlsx().expect("xlsx");
        assert!(xlsx.starts_with(b"PK"));
        // For a look through LibreOffice (scripts/check-office-output.sh style).
        if let Ok(dir) = std::env::var("GONGKAI_SHEET_OUT") {
            let dir = std::path::Path::new(&dir);
            std::fs::write(dir.join("site-inspection.docx"), &docx).expect("write docx");
            std::fs::write(dir.join("site-inspection.xlsx"), &xlsx).expect("write xlsx");
        }
    }
}
