//! Every audit action code the product writes has a Chinese name in `audit::ACTION_LABELS`, so
//! the audit log never shows a raw code to the 审计管理员. The codes are read out of the sources
//! of every crate (string literals `kind.verb` whose kind is a known kind of record), so a new
//! action cannot be missed.

#![allow(clippy::unwrap_used)]

use gongkai_store::audit::{ACTION_LABELS, ENTITY_LABELS, RECORD_LABELS, action_label};
use std::collections::BTreeSet;
use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            && !path.to_string_lossy().contains("test")
        {
            out.push(std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// `"kind.verb"` literals of the known kinds, file names excluded.
fn codes(text: &str) -> BTreeSet<String> {
    let kinds: BTreeSet<&str> = ENTITY_LABELS.iter().map(|(k, _)| *k).collect();
    let mut out = BTreeSet::new();
    for lit in text.split('"').skip(1).step_by(2) {
        let Some((kind, verb)) = lit.split_once('.') else {
            continue;
        };
        let word = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        let file = matches!(
            verb,
            "html" | "rs" | "json" | "csv" | "css" | "js" | "xlsx" | "docx" | "pdf" | "txt" | "xml"
        );
        if kinds.contains(kind) && word(kind) && word(verb) && !file {
            out.insert(lit.to_string());
        }
    }
    out
}

#[test]
fn every_action_written_has_a_chinese_name() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut texts = Vec::new();
    for c in ["gongkai-store", "gongkai-web", "gongkai"] {
        sources(&crates.join(c).join("src"), &mut texts);
    }
    let found: BTreeSet<String> = texts.iter().flat_map(|t| codes(t)).collect();
    assert!(
        found.contains("item.approve") && found.contains("user.login"),
        "{found:?}"
    );
    let named: BTreeSet<&str> = ACTION_LABELS.iter().map(|(c, _)| *c).collect();
    let missing: Vec<&String> = found
        .iter()
        .filter(|c| !named.contains(c.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "add these action codes to audit::ACTION_LABELS: {missing:?}"
    );
    // A code nobody named still reads as its kind, never as a bare code.
    assert_eq!(
        action_label("item.something_new"),
        "主动公开信息（item.something_new）"
    );
}

/// The record kind (the fourth argument) of every `audit_append!` and `audit::record` call
/// written as a literal.
fn entities(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for call in ["audit_append!(", "audit::record("] {
        for (at, _) in text.match_indices(call) {
            // The arguments up to the call's closing parenthesis, split at top-level commas.
            let mut depth = 0usize;
            let mut args = vec![String::new()];
            for ch in text[at + call.len()..].chars() {
                match ch {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' if depth == 0 => break,
                    ')' | ']' | '}' => depth -= 1,
                    ',' if depth == 0 => {
                        args.push(String::new());
                        continue;
                    }
                    _ => {}
                }
                if let Some(last) = args.last_mut() {
                    last.push(ch);
                }
            }
            if let Some(lit) = args
                .get(3)
                .map(|a| a.trim())
                .and_then(|k| k.strip_prefix('"'))
                .and_then(|k| k.strip_suffix('"'))
            {
                out.insert(lit.to_string());
            }
        }
    }
    out
}

/// Every kind of record the log names has a Chinese name, so the 对象 column and the filter
/// never show a raw kind (`sensitive_word 1`).
#[test]
fn every_record_kind_written_has_a_chinese_name() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut texts = Vec::new();
    for c in ["gongkai-store", "gongkai-web", "gongkai"] {
        sources(&crates.join(c).join("src"), &mut texts);
    }
    let mut found: BTreeSet<String> = texts.iter().flat_map(|t| entities(t)).collect();
    // The two word lists name their kind in a table (models/word_table.rs).
    found.extend(["sensitive_word".to_string(), "severe_word".to_string()]);
    assert!(
        found.contains("proactive_item") && found.contains("user"),
        "{found:?}"
    );
    let named: BTreeSet<&str> = ENTITY_LABELS
        .iter()
        .chain(RECORD_LABELS)
        .map(|(c, _)| *c)
        .collect();
    let missing: Vec<&String> = found
        .iter()
        .filter(|c| !named.contains(c.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "add these record kinds to audit::RECORD_LABELS: {missing:?}"
    );
}
