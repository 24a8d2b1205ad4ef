//! The scan never panics, and every finding's range slices the text on char boundaries.

#![allow(clippy::unwrap_used)] // tests may panic on broken fixtures

use gongkai_review::{ScanOptions, WordList, mask_all, scan_html, scan_with};
use proptest::prelude::*;

/// Text made mostly of the scanner's interesting characters, so runs, separators, X, prefixes,
/// full-width digits, names and address markers meet in every combination.
fn tricky() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[0-9]{1,20}",
        "[０-９]{1,4}",
        Just(" ".to_owned()),
        Just("-".to_owned()),
        Just("\u{3000}".to_owned()),
        Just("X".to_owned()),
        Just("ｘ".to_owned()),
        Just("+86".to_owned()),
        Just("/".to_owned()),
        Just(".".to_owned()),
        Just("\n".to_owned()),
        Just("\t".to_owned()),
        Just("张三".to_owned()),
        Just("欧阳".to_owned()),
        Just("某某县某某村3组".to_owned()),
        Just("绝密".to_owned()),
        Just("秘密★".to_owned()),
        Just("<p>&nbsp;&#49;</p>".to_owned()),
        "\\PC{0,3}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn check(text: &str) {
    let opts = ScanOptions {
        include_suspects: true,
        ..ScanOptions::default()
    };
    let mut words = WordList::default();
    words.add("秘密");
    let found = scan_with(text, &words, &opts);
    let mut last = 0;
    for f in &found {
        assert!(f.start < f.end && f.end <= text.len(), "{f:?}");
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        assert!(f.start >= last, "not sorted");
        last = f.start;
        assert_eq!(f.line, text[..f.start].matches('\n').count() + 1);
    }
    let _ = mask_all(text, &found);
    let _ = scan_html(text, &words);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_any_text(text in "\\PC*") {
        check(&text);
    }

    #[test]
    fn never_panics_on_tricky_text(text in tricky()) {
        check(&text);
    }
}
