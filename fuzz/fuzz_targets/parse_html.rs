//! Arbitrary bytes, read as UTF-8 (lossy), through the HTML reader `parse_html` and
//! `check_parsed`: tag soup, unclosed cells, broken entities and raw-text elements must never
//! make it panic.
#![no_main]

use gongkai_report::parse::{ParseOptions, check_parsed, parse_html};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(parsed) = parse_html(&text, &ParseOptions::default()) {
        let _ = check_parsed(&parsed);
    }
});
