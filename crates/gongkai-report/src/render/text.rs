//! The printed national layout as plain text (the seed's layout).

use super::layout::{self, Grid, PLACEHOLDER, SECTION_TITLES};
use crate::model::Report;

/// The report in the printed national layout: the title, the six sections in order (prose from
/// `r.sections`, or a short placeholder line), and the three tables as tab-separated rows with
/// the form's labels, merged cells spread into runs of empty cells as when the form is copied
/// out of Word. A blank cell prints empty.
///
/// Pasted into Word (and converted to a table) it gives the familiar tables; the parser in
/// [`crate::parse`] reads it back to the same cells.
pub fn text(r: &Report) -> String {
    let grids = layout::grids(r);
    let mut out = String::new();
    out.push_str(&layout::title(r));
    out.push_str("\n\n");
    for (i, heading) in SECTION_TITLES.iter().enumerate() {
        let n = i + 1;
        out.push_str(heading);
        out.push_str("\n\n");
        let table = layout::section_table(n).and_then(|t| grids.get(t));
        match layout::prose(r, n) {
            Some(lines) => {
                for l in lines {
                    out.push_str(l);
                    out.push_str("\n\n");
                }
            }
            None if table.is_none() => {
                out.push_str(PLACEHOLDER);
                out.push_str("\n\n");
            }
            None => {}
        }
        if let Some(g) = table {
            push_table(&mut out, g);
            out.push('\n');
        }
    }
    out
}

fn push_table(out: &mut String, g: &Grid) {
    for row in g.spread() {
        out.push_str(&row.join("\t"));
        out.push('\n');
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test that cannot unwrap should fail loudly
mod tests {
    use super::*;
    use crate::model::{Proactive, ReportFormat};

    #[test]
    fn six_sections_in_order_with_placeholders_and_prose() {
        let mut r = Report::zero("夏邑县人民政府", 2020, ReportFormat::Trial2019);
        r.sections.insert("5".into(), "问题一。\n\n问题二。".into());
        let t = text(&r);
        let mut at = 0;
        for h in SECTION_TITLES {
            let i = t[at..].find(h).map(|i| i + at).expect(h);
            assert!(i >= at);
            at = i;
        }
        assert!(t.contains("问题一。\n\n问题二。"));
        assert_eq!(t.matches(PLACEHOLDER).count(), 2);
        assert!(t.starts_with("夏邑县人民政府2020年政府信息公开工作年度报告\n"));
    }

    #[test]
    fn the_2019_table_two_reads_like_the_seed() {
        let mut r = Report::zero("夏邑县人民政府", 2020, ReportFormat::Trial2019);
        if let Proactive::Trial2019(p) = &mut r.proactive {
            p.procurement.items = Some(3);
            p.procurement.amount_wan = Some(111.1);
            p.fees.prev_items = Some(7);
            p.licensing.change = None;
        }
        let t = text(&r);
        assert!(t.contains("第二十条第（一）项\t\t\t\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t0\t0\t0\n"));
        assert!(t.contains("行政许可\t0\t\t0\n"));
        assert!(t.contains("信息内容\t上一年项目数量\t本年增/减\t\n行政事业性收费\t7\t0\t\n"));
        assert!(t.contains("政府集中采购\t3\t111.1000\t\n"));
        assert!(t.contains(
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t\t申请人情况\t\t\t\t\t\t\n\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计\n\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\n"
        ));
        assert!(t.contains("行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t\n"));
    }

    #[test]
    fn the_2021_tables_follow_the_2021_form() {
        let r = Report::zero("某局", 2021, ReportFormat::Current2021);
        let t = text(&r);
        assert!(t.contains("信息内容\t本年处理决定数量\t\t\n行政许可\t0\t\t\n"));
        assert!(t.contains("信息内容\t本年收费金额（单位：万元）\t\t\n行政事业性收费\t0\t\t\n"));
        assert!(t.contains(
            "\t（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0"
        ));
        assert!(t.contains("\t\t3.其他\t0\t0\t0\t0\t0\t0\t0\n"));
    }
}
