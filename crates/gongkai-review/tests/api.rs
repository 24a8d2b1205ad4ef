//! The public API: masks, positions, redaction, the word list, nothing raw in logs.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod common;

use common::{card, grouped, id};
use gongkai_review::{
    FindingKind, ScanOptions, WordList, html_to_text, mask_all, scan, scan_html, scan_with,
};

#[test]
fn masks_and_positions() {
    let idn = id("41142619900307005"); // check character X
    let cardn = grouped(&card("622848001234567"), ' ');
    let text = format!("第一行\n身份证 {idn}，手机 138-1234-5678\n卡号 {cardn}\n绝密");
    let found = scan(&text, &WordList::default());
    let kinds: Vec<&FindingKind> = found.iter().map(|f| &f.kind).collect();
    assert_eq!(
        kinds,
        [
            &FindingKind::IdNumber,
            &FindingKind::MobileNumber,
            &FindingKind::BankCard,
            &FindingKind::SensitiveWord("绝密".into()),
        ]
    );
    assert_eq!(found[0].masked, "4114**********005X");
    assert_eq!(&text[found[0].start..found[0].end], idn);
    assert_eq!(found[0].line, 2);
    assert_eq!(found[1].masked, "138****5678");
    assert_eq!(&text[found[1].start..found[1].end], "138-1234-5678");
    assert_eq!(
        found[2].masked,
        "6228 **** **** 5678".replace("5678", &cardn[cardn.len() - 4..])
    );
    assert_eq!(found[2].line, 3);
    assert_eq!(found[3].line, 4);
    assert!(found.iter().all(|f| f.blocks()));
    // The excerpt masks both numbers on the line.
    assert_eq!(
        found[0].excerpt,
        "身份证 4114**********005X，手机 138****5678"
    );
    assert_eq!(
        mask_all(&text, &found),
        format!(
            "第一行\n身份证 4114**********005X，手机 138****5678\n卡号 {}\n绝密",
            found[2].masked
        )
    );
}

#[test]
fn nothing_raw_in_debug_display_or_json() {
    let idn = id("11010120000229000");
    let text = format!("张三\t{idn}\t13812345678\t某某县某某乡某某村");
    let found = scan(&text, &WordList::default());
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0].kind, FindingKind::NameWithAddress);
    assert_eq!(
        found[0].masked,
        "张*\t1101**********000X\t138****5678\t某某县******".replace("000X", &idn[14..])
    );
    for f in &found {
        for shown in [
            format!("{f:?}"),
            f.to_string(),
            serde_json::to_string(f).unwrap(),
        ] {
            assert!(!shown.contains(&idn[4..14]), "{shown}");
            assert!(!shown.contains("1234"), "{shown}");
            assert!(!shown.contains("张三"), "{shown}");
        }
    }
    assert_eq!(
        found[1].to_string(),
        format!("第1行 居民身份证号 {}", found[1].masked)
    );
    let redacted = mask_all(&text, &found);
    assert!(!redacted.contains(&idn[4..14]) && !redacted.contains("张三"));
}

#[test]
fn suspects_only_on_request() {
    let text = "旧身份证号 411426900307001";
    assert!(scan(text, &WordList::empty()).is_empty());
    let opts = ScanOptions {
        include_suspects: true,
        ..ScanOptions::default()
    };
    let found = scan_with(text, &WordList::empty(), &opts);
    assert_eq!(found.len(), 1);
    assert!(found[0].suspect && found[0].blocks());
    assert_eq!(found[0].masked, "4114********001");
    assert!(found[0].to_string().ends_with("（疑似）"));
}

#[test]
fn max_birth_year_bounds_ids() {
    let text = id("41142620250101001");
    assert_eq!(scan(&text, &WordList::empty()).len(), 1);
    let opts = ScanOptions {
        max_birth_year: 2024,
        ..ScanOptions::default()
    };
    assert!(scan_with(&text, &WordList::empty(), &opts).is_empty());
}

#[test]
fn names_can_be_switched_off() {
    let text = "张三 某某县某某乡某某村";
    assert_eq!(scan(text, &WordList::empty()).len(), 1);
    let opts = ScanOptions {
        names_with_addresses: false,
        ..ScanOptions::default()
    };
    assert!(scan_with(text, &WordList::empty(), &opts).is_empty());
}

#[test]
fn word_list_is_editable() {
    let mut words = WordList::from_lines("# 本单位敏感词\n\n  工作秘密  \n绝密\n绝密\n");
    assert_eq!(words.words().collect::<Vec<_>>(), ["工作秘密", "绝密"]);
    assert!(words.add("秘密★") && !words.add("秘密★") && !words.add("  "));
    assert!(words.remove("绝密") && !words.remove("绝密"));
    assert!(words.contains("工作秘密") && !words.contains("绝密"));
    assert_eq!(WordList::from_lines(&words.to_lines()), words);
    let found = scan("属工作秘密，绝密，秘密★1年", &words);
    let got: Vec<_> = found.iter().map(|f| f.kind.to_string()).collect();
    assert_eq!(got, ["敏感词「工作秘密」", "敏感词「秘密★」"]);
    // Leftmost-longest: 秘密★ wins over 秘密 where both are listed.
    words.add("秘密");
    let found = scan("秘密★1年", &words);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].masked, "秘密★");
    assert!(WordList::default().contains("内部资料"));
    assert!(!WordList::default().contains("秘密"));
}

#[test]
fn html_offsets_index_the_stripped_text() {
    let html = "<div><p>联系人：<b>李四</b></p><p>电话：<span>139</span>-8765-4321</p></div>";
    let found = scan_html(html, &WordList::default());
    let text = html_to_text(html);
    assert_eq!(found.len(), 1);
    assert_eq!(&text[found[0].start..found[0].end], "139-8765-4321");
    assert_eq!(found[0].line, 3);
}

#[test]
fn mask_all_ignores_findings_from_another_text() {
    let found = scan("手机13812345678", &WordList::empty());
    assert_eq!(mask_all("短", &found), "短");
    assert_eq!(mask_all("手机13812345678", &found), "手机138****5678");
}

#[test]
fn labels() {
    assert_eq!(FindingKind::IdNumber.label(), "居民身份证号");
    assert_eq!(FindingKind::MobileNumber.label(), "手机号码");
    assert_eq!(FindingKind::BankCard.label(), "银行卡号");
    assert_eq!(FindingKind::SensitiveWord("绝密".into()).label(), "敏感词");
    assert_eq!(FindingKind::NameWithAddress.label(), "姓名与住址");
    assert!(!FindingKind::SensitiveWord("绝密".into()).is_personal());
    assert!(FindingKind::BankCard.is_personal());
}
