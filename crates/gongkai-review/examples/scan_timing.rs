//! Times the scan of a ~100 KB page (an item with a 公示名单 and prose):
//! `cargo run --release -p gongkai-review --example scan_timing`.

use gongkai_review::{WordList, scan, scan_html};
use std::time::Instant;

fn main() {
    let mut page = String::from("<html><body><div class=\"content\">");
    let mut row = 0u32;
    while page.len() < 100_000 {
        row += 1;
        page.push_str(
            "<p>根据《政府信息公开条例》第十七条，行政机关应当建立健全政府信息公开审查机制。\
             索引号：113708280043326001/2024-02411，文号：豫政〔2020〕12号，发布日期：2024-03-05，\
             金额12,345,678.90元，联系电话：0370-6212345。</p>",
        );
        if row.is_multiple_of(10) {
            // A synthetic list row: the numbers are not valid, so the scan does full work
            // without producing thousands of findings.
            page.push_str(&format!(
                "<table><tr><td>{row}</td><td>张某某</td><td>男</td><td>41142619900307{:04}</td>\
                 <td>某某县某某乡某某村3组</td><td>138{:08}</td></tr></table>",
                row % 10_000,
                row
            ));
        }
    }
    page.push_str("</div></body></html>");
    let words = WordList::default();
    let text = gongkai_review::html_to_text(&page);
    let rounds = 200;
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..rounds {
        n += scan(&text, &words).len();
    }
    let per_text = t.elapsed() / rounds;
    let t = Instant::now();
    for _ in 0..rounds {
        n += scan_html(&page, &words).len();
    }
    let per_html = t.elapsed() / rounds;
    println!(
        "page {} bytes (text {} bytes), {} findings a scan: scan {per_text:?}, scan_html {per_html:?}",
        page.len(),
        text.len(),
        n / (2 * rounds as usize)
    );
}
