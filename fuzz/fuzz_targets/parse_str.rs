//! Arbitrary bytes, read as UTF-8 (lossy), through `parse_str` and `check_parsed`: the parser
//! may refuse a document but must never panic, and whatever it returns must be checkable.
#![no_main]

use gongkai_report::parse::{ParseOptions, check_parsed, parse_str};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(parsed) = parse_str(&text, &ParseOptions::default()) {
        let _ = check_parsed(&parsed);
    }
});
