//! Aggregation on the real reports: the sum equals a cell-by-cell sum of their canonical JSON
//! (blank + n = n, blank + blank = blank), and mixed years or formats are refused by name.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap should fail loudly

use gongkai_report::Report;
use gongkai_report::aggregate::{AggregateError, aggregate};
use serde_json::Value;
use std::path::PathBuf;

fn load(name: &str) -> Report {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/reports/expected")
        .join(name);
    Report::from_json(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// An independent oracle: sums two canonical JSON trees leaf by leaf.
fn sum(a: &Value, b: &Value) -> Value {
    match (a, b) {
        (Value::Null, x) | (x, Value::Null) => x.clone(),
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => Value::from(x + y),
            _ => Value::from(x.as_f64().unwrap() + y.as_f64().unwrap()),
        },
        (Value::Array(x), Value::Array(y)) => {
            Value::Array(x.iter().zip(y).map(|(x, y)| sum(x, y)).collect())
        }
        (Value::Object(x), Value::Object(y)) => {
            let mut out = x.clone();
            for (k, v) in y {
                let merged = match x.get(k) {
                    Some(u) => sum(u, v),
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (x, _) => x.clone(),
    }
}

fn assert_close(got: &Value, want: &Value, at: &str) {
    match (got, want) {
        (Value::Number(g), Value::Number(w)) => {
            let (g, w) = (g.as_f64().unwrap(), w.as_f64().unwrap());
            assert!((g - w).abs() < 1e-6, "{at}: {g} != {w}");
        }
        (Value::Array(g), Value::Array(w)) => {
            assert_eq!(g.len(), w.len(), "{at}");
            for (i, (g, w)) in g.iter().zip(w).enumerate() {
                assert_close(g, w, &format!("{at}[{i}]"));
            }
        }
        (Value::Object(g), Value::Object(w)) => {
            let gk: Vec<_> = g.keys().collect();
            let wk: Vec<_> = w.keys().collect();
            assert_eq!(gk, wk, "{at}: keys");
            for (k, w) in w {
                assert_close(&g[k], w, &format!("{at}.{k}"));
            }
        }
        _ => assert_eq!(got, want, "{at}"),
    }
}

fn tables(r: &Report) -> Value {
    let mut v: Value = serde_json::from_str(&r.to_json()).unwrap();
    let o = v.as_object_mut().unwrap();
    for k in ["agency", "year", "format", "sections"] {
        o.remove(k);
    }
    v
}

#[test]
fn sums_real_reports_cell_by_cell() {
    for names in [
        &["2021-006.json", "2021-023.json"][..],
        &["2019-004.json", "2019-011.json"][..],
        &["2019-011.json", "2019-011.json", "2019-004.json"][..],
    ] {
        let reports: Vec<Report> = names.iter().map(|n| load(n)).collect();
        let got = aggregate(&reports, "平潭综合实验区（汇总）").unwrap();
        let want = reports
            .iter()
            .map(tables)
            .reduce(|a, b| sum(&a, &b))
            .unwrap();
        assert_close(&tables(&got), &want, &names.join("+"));
        assert_eq!(got.agency, "平潭综合实验区（汇总）");
        assert_eq!((got.year, got.format), (reports[0].year, reports[0].format));
    }
}

#[test]
fn one_report_sums_to_itself() {
    let r = load("2024-001.json");
    let mut got = aggregate(std::slice::from_ref(&r), &r.agency).unwrap();
    got.sections = r.sections.clone();
    assert_eq!(got, r);
}

#[test]
fn refuses_mixed_years_and_formats_naming_the_report() {
    let e = aggregate(&[load("2021-006.json"), load("2024-001.json")], "x").unwrap_err();
    assert!(matches!(e, AggregateError::MixedYears { .. }), "{e}");
    let m = e.to_string();
    assert!(
        m.contains("淮安市人民政府") && m.contains("2024") && m.contains("2021"),
        "{m}"
    );

    // Same year, other format: 2020-026 is a 2019-format report; pretend it is for 2021.
    let mut old = load("2020-026.json");
    old.year = 2021;
    let e = aggregate(&[load("2021-006.json"), old], "x").unwrap_err();
    assert!(matches!(e, AggregateError::MixedFormats { .. }), "{e}");
    let m = e.to_string();
    assert!(
        m.contains("平潭综合实验区经济发展局") && m.contains("2019"),
        "{m}"
    );
    assert!(
        m.contains("不同格式") && m.contains("different formats"),
        "{m}"
    );

    assert_eq!(aggregate(&[], "x").unwrap_err(), AggregateError::Empty);
}
