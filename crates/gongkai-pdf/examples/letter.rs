//! Writes a sample reply letter with a table to the path given (for looking at the layout).
use gongkai_pdf::{Cell, Document, Paragraph, Table};

fn main() {
    let mut doc = Document::new("政府信息公开申请答复书", "夏邑县人民政府办公室");
    doc.push(Paragraph::title("政府信息公开申请答复书"));
    doc.push(Paragraph::new("夏政公开〔2026〕1号").center());
    doc.push(Paragraph::new("张某某："));
    doc.push(Paragraph::body("本机关于2026年12月7日收到您提出的政府信息公开申请（登记号：2026-0001），申请获取“2025年度城区道路改造项目的招标文件”。经审查，根据《中华人民共和国政府信息公开条例》第三十七条的规定，现答复如下：ABC 12345678901234567890 test."));
    let t = Table::new(vec![2.0, 1.0, 1.0, 1.0])
        .header_rows(2)
        .row(vec![
            Cell::centered("项目").rowspan(2),
            Cell::centered("本年").colspan(3),
        ])
        .row(vec![
            Cell::centered("新收"),
            Cell::centered("办结"),
            Cell::centered("结转"),
        ])
        .row(vec![
            Cell::new("一、本年新收政府信息公开申请数量"),
            Cell::centered("318"),
            Cell::centered("300"),
            Cell::centered("18"),
        ]);
    doc.push(t);
    doc.push(Paragraph::new("夏邑县人民政府办公室").right());
    doc.push(Paragraph::new("2026年12月7日").right());
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "letter.pdf".into());
    std::fs::write(out, doc.render()).expect("write");
}
