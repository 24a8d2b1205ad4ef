//! The layouts and spellings real reports use, made from the seed and the published reports by
//! rewriting them: each must read into the same canonical JSON (or the stated difference).
#![allow(clippy::unwrap_used)] // Tests fail loudly on bad data.

use gongkai_report::parse::{ParseOptions, Parsed, check_parsed, parse_str};
use gongkai_report::rules::RuleId;
use std::path::PathBuf;

fn shared(p: &str) -> String {
    std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared")
            .join(p),
    )
    .unwrap()
}

fn seed() -> String {
    shared("seed/xiayi-2020-annual-report.txt")
}

fn seed_json() -> serde_json::Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/seed-2020.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn parse(s: &str) -> Parsed {
    parse_str(s, &ParseOptions::default()).unwrap()
}

fn json(p: &Parsed) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(&p.report.to_json()).unwrap();
    v.as_object_mut().unwrap().remove("sections");
    v
}

fn rules(p: &Parsed) -> Vec<&'static str> {
    check_parsed(p).iter().map(|f| f.rule.id()).collect()
}

#[test]
fn pipes_instead_of_tabs() {
    let p = parse(&seed().replace('\t', "|"));
    assert_eq!(json(&p), seed_json());
}

#[test]
fn full_width_digits_and_brackets_spaces_in_labels_and_page_footers() {
    let s: String = seed()
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
            '(' => '（',
            ')' => '）',
            _ => c,
        })
        .collect();
    let s = s
        .replace("总计", "总 计")
        .replace("重新出具", "重 新出具")
        .replace(
            "二、主动公开政府信息情况",
            "- １ -\n二、主动公开政府信息情况",
        )
        .replace("四、结转下年度", "第 2 页\n四、结转下年度");
    let p = parse(&s);
    assert_eq!(json(&p), seed_json());
}

#[test]
fn labels_broken_across_lines() {
    let s = seed().replace(
        "5.要求行政机关确认或重新出具已获取信息\t",
        "5.要求行政机关确认或重新出\n具已获取信息\t",
    );
    let p = parse(&s);
    assert_eq!(json(&p), seed_json());
    // Cut so that the numbers stay with the head of the label.
    let s = seed().replace(
        "5.要求行政机关确认或重新出具已获取信息\t",
        "5.要求行政机关确认或重新出\t",
    );
    assert_eq!(json(&parse(&s)), seed_json());
}

#[test]
fn signed_values_amounts_in_yuan_and_blank_markers() {
    let s = seed()
        .replace("行政许可\t231\t1\t27269", "行政许可\t231\t+1\t27269")
        .replace("政府集中采购\t3\t111.1\t", "政府集中采购\t3\t1111000元\t")
        .replace("行政处罚\t1808\t0\t1668", "行政处罚\t1808\t-18\t1668");
    let p = parse(&s);
    let v = json(&p);
    assert_eq!(v["proactive"]["licensing"]["change"], 1);
    assert_eq!(v["proactive"]["penalty"]["change"], -18);
    assert_eq!(v["proactive"]["procurement"]["amount_wan"], 111.1);
    let r = rules(&p);
    assert!(
        r.contains(&"FMT-UNIT") && !r.contains(&"FMT-DECIMALS"),
        "{r:?}"
    );
    assert!(
        !r.contains(&"NUM-INVALID"),
        "本年增/减 may be negative: {r:?}"
    );

    let s = seed()
        .replace("规章\t0\t0\t0", "规章\t/\t—\t无")
        .replace("2.重复申请\t0\t0\t0", "2.重复申请\t\t0\t0");
    let p = parse(&s);
    let v = json(&p);
    assert_eq!(
        v["proactive"]["regulations"]["made"],
        serde_json::Value::Null
    );
    assert_eq!(v["requests"]["declined_repeat"][0], serde_json::Value::Null);
    let blanks = check_parsed(&p)
        .iter()
        .filter(|f| f.rule == RuleId::CellBlank)
        .count();
    assert_eq!(blanks, 4);
}

#[test]
fn fractional_and_non_numeric_counts_are_invalid_not_blank() {
    let s = seed().replace("规范性文件\t5\t5\t5", "规范性文件\t5.5\t约5\t5");
    let p = parse(&s);
    let f = check_parsed(&p);
    let invalid: Vec<_> = f
        .iter()
        .filter(|f| f.rule == RuleId::NumberInvalid)
        .collect();
    assert_eq!(invalid.len(), 2, "{f:#?}");
    assert!(!f.iter().any(|f| f.rule == RuleId::CellBlank), "{f:#?}");
}

/// Inserts a 小计 column after 其他 into every table 三 row of the seed.
fn with_subtotal_column(s: &str, wrong_at: Option<&str>) -> String {
    let mut out = Vec::new();
    let mut in_t3 = false;
    for line in s.lines() {
        if line.starts_with("三、收到和处理") {
            in_t3 = true;
        }
        if line.starts_with("四、政府信息公开行政复议") {
            in_t3 = false;
        }
        let mut cells: Vec<String> = line.split('\t').map(str::to_string).collect();
        if in_t3 {
            if let Some(k) = cells.iter().position(|c| c == "其他") {
                cells.insert(k + 1, "小计".into());
            }
            let nums: Vec<usize> = (0..cells.len())
                .filter(|i| cells[*i].parse::<i64>().is_ok())
                .collect();
            if nums.len() == 7 {
                let sum: i64 = nums[1..6]
                    .iter()
                    .map(|i| cells[*i].parse::<i64>().unwrap())
                    .sum();
                let wrong = wrong_at.is_some_and(|w| line.contains(w));
                cells.insert(nums[5] + 1, (sum + i64::from(wrong)).to_string());
            }
        }
        out.push(cells.join("\t"));
    }
    out.join("\n")
}

#[test]
fn a_subtotal_column_is_read_and_checked() {
    let p = parse(&with_subtotal_column(&seed(), None));
    assert_eq!(json(&p), seed_json());
    assert!(!rules(&p).contains(&"T3-SUBTOTAL"));
    let p = parse(&with_subtotal_column(&seed(), Some("本机关不掌握")));
    assert_eq!(json(&p), seed_json());
    let f = check_parsed(&p);
    let sub: Vec<_> = f
        .iter()
        .filter(|f| f.rule == RuleId::Table3Subtotal)
        .collect();
    assert_eq!(sub.len(), 1, "{f:#?}");
    assert_eq!(sub[0].row.as_deref(), Some("unable_not_held"));
    assert_eq!(sub[0].column.as_deref(), Some("subtotal"));
}

#[test]
fn subtotal_rows_are_read_and_checked() {
    let s = seed()
        .replace(
            "\t\t3.补正后申请内容仍不明确\t5\t0\t0\t0\t0\t0\t5",
            "\t\t3.补正后申请内容仍不明确\t5\t0\t0\t0\t0\t0\t5\n\t小计\t\t9\t2\t0\t0\t0\t0\t11",
        )
        .replace(
            "\t(五) 不予处理\t1.信访举报投诉类申请",
            "\t(三) 不予公开\t\t0\t0\t0\t0\t0\t0\t0\n\t(五) 不予处理\t1.信访举报投诉类申请",
        );
    let p = parse(&s);
    assert_eq!(json(&p), seed_json());
    let f = check_parsed(&p);
    let sub: Vec<_> = f
        .iter()
        .filter(|f| f.rule == RuleId::Table3Subtotal)
        .collect();
    // (四) 无法提供: 4+0+5 = 9 natural persons ✓, 2 companies ✓, total 6+0+5 = 11 ✓.
    assert!(sub.is_empty(), "{sub:#?}");
    let s = s.replace("\t小计\t\t9\t2", "\t小计\t\t8\t2");
    let f = check_parsed(&parse(&s));
    let sub: Vec<_> = f
        .iter()
        .filter(|f| f.rule == RuleId::Table3Subtotal)
        .collect();
    assert_eq!(sub.len(), 1, "{sub:#?}");
    assert_eq!(sub[0].row.as_deref(), Some("unable_subtotal"));
    assert_eq!(sub[0].expected, Some(9.into()));
}

#[test]
fn a_2021_report_still_printing_the_single_other_row() {
    let text = shared("reports/2021-006.txt");
    let start = text.find("|（六）其他处理|1.申请人").unwrap();
    let end = text.find("|（七）总计").unwrap();
    let s = format!(
        "{}|（六）其他处理||1|0|0|0|0|0|1\n{}",
        &text[..start],
        &text[end..]
    );
    let p = parse(&s);
    assert_eq!(p.report.format.id(), "2021");
    let v = json(&p);
    assert_eq!(
        v["requests"]["other"],
        serde_json::json!([1, 0, 0, 0, 0, 0, 1])
    );
    assert!(v["requests"].get("other_other").is_none());
    let f = check_parsed(&p);
    assert_eq!(
        f.iter().map(|f| f.rule.id()).collect::<Vec<_>>(),
        ["FMT-VERSION"],
        "{f:#?}"
    );
}

#[test]
fn the_format_comes_from_the_headers_not_the_year() {
    // A 2021 report filed in the 2019 format: format 2019, FMT-VERSION.
    let p = parse(
        &seed()
            .replace("2020年", "2021年")
            .replace("2020 年", "2021 年"),
    );
    assert_eq!((p.report.year, p.report.format.id()), (2021, "2019"));
    assert!(rules(&p).contains(&"FMT-VERSION"));
}

#[test]
fn the_year_without_a_title() {
    let text = shared("reports/2019-004.txt");
    let body = text.split_once('\n').unwrap().1;
    assert_eq!(parse(body).report.year, 2019, "from 统计期限");
    let p = parse(&body.replace("统计期限", "数据范围"));
    assert_eq!(p.report.year, 2019, "from the prose");
    let p = parse_str(
        body,
        &ParseOptions {
            year: Some(2018),
            agency: None,
        },
    )
    .unwrap();
    assert_eq!(p.report.year, 2018, "--year wins");
}

#[test]
fn sections_out_of_order_or_missing() {
    let s = seed();
    let five = s.find("五、存在的主要问题").unwrap();
    let six = s.find("六、其他需要报告的事项").unwrap();
    let swapped = format!("{}{}\n{}", &s[..five], &s[six..], &s[five..six]);
    let p = parse(&swapped);
    let missing: Vec<_> = check_parsed(&p)
        .into_iter()
        .filter(|f| f.rule == RuleId::SectionMissing)
        .collect();
    assert_eq!(missing.len(), 1, "{missing:#?}");
    let p = parse(&s[..five]);
    let n = check_parsed(&p)
        .iter()
        .filter(|f| f.rule == RuleId::SectionMissing)
        .count();
    assert_eq!(n, 2);
    assert_eq!(json(&p), seed_json(), "the tables are all there");
}
