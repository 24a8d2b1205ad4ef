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
    // Rounds from the first argument (default 200); the minimum and median of single scans are
    // reported, since on a busy machine a mean mostly measures other processes.
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let time = |f: &dyn Fn() -> usize| {
        let mut times: Vec<_> = (0..rounds)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect();
        times.sort();
        (times[0], times[times.len() / 2])
    };
    let findings = scan(&text, &words).len();
    let (min, median) = time(&|| scan(&text, &words).len());
    let (hmin, hmedian) = time(&|| scan_html(&page, &words).len());
    println!(
        "page {} bytes (text {} bytes), {findings} findings: scan min {min:?} median {median:?}; \
         scan_html min {hmin:?} median {hmedian:?}",
        page.len(),
        text.len(),
    );
}
