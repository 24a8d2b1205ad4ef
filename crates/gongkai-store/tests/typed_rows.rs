//! No status or kind of a record travels as text (issue 14): every struct of the store's
//! sources reads its statuses and kinds as enums, whose `key()` is the stored text and whose
//! `label()` the Chinese, in one place. The check reads the sources
//! (`src/**/*.rs`) and lists every field named `status`, `kind`, `state`, `category`,
//! `channel` or `outcome`, or ending in `_status`, `_kind` or `_state`, that is typed
//! `String` or `Option<String>`, apart from the few listed in [`OPEN_NAMES`] with the reason
//! they are not a closed set.

#![allow(clippy::unwrap_used)]

use std::path::Path;

/// Fields that are text on purpose: (struct, field, why).
const OPEN_NAMES: &[(&str, &str, &str)] = &[(
    "Change",
    "kind",
    "the audit entity of a change-feed row, an open name: nodes of one cluster may run \
         different versions while an upgrade rolls out, and a node must read (and treat as \
         \"drop every page\") a kind a newer node wrote rather than fail to follow the feed",
)];

/// Whether a field of this name holds a status or a kind.
fn is_status_or_kind(name: &str) -> bool {
    matches!(
        name,
        "status" | "kind" | "state" | "category" | "channel" | "outcome"
    ) || name.ends_with("_status")
        || name.ends_with("_kind")
        || name.ends_with("_state")
}

/// Whether a field's type is text.
fn is_text(ty: &str) -> bool {
    let ty: String = ty.chars().filter(|c| !c.is_whitespace()).collect();
    let ty = ty.trim_end_matches(',');
    let inner = ty
        .strip_prefix("Option<")
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(ty);
    matches!(inner, "String" | "std::string::String" | "Box<str>")
}

/// The name of the struct a line opens with a brace (`pub struct X {`, `struct X<'a> {`).
fn struct_opened(line: &str) -> Option<String> {
    let line = line.trim_start();
    let rest = line
        .split_once("struct ")
        .filter(|(vis, _)| vis.is_empty() || vis.trim_end().starts_with("pub"))?
        .1;
    if !line.trim_end().ends_with('{') {
        return None;
    }
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

/// `(struct, field, type)` of every textual status or kind field in `source`.
fn text_fields(source: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        let trimmed = line.trim();
        if let Some(name) = struct_opened(line) {
            current = Some(name);
            continue;
        }
        let Some(name) = &current else { continue };
        if trimmed.starts_with('}') {
            current = None;
            continue;
        }
        if trimmed.starts_with("//") || trimmed.starts_with("#[") {
            continue;
        }
        let decl = trimmed
            .strip_prefix("pub(crate) ")
            .or_else(|| trimmed.strip_prefix("pub(super) "))
            .or_else(|| trimmed.strip_prefix("pub "))
            .unwrap_or(trimmed);
        let Some((field, ty)) = decl.split_once(':') else {
            continue;
        };
        let field = field.trim();
        if field.chars().all(|c| c.is_alphanumeric() || c == '_')
            && is_status_or_kind(field)
            && is_text(ty)
        {
            out.push((
                name.clone(),
                field.to_string(),
                ty.trim().trim_end_matches(',').to_string(),
            ));
        }
    }
    out
}

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
}

#[test]
fn no_status_or_kind_is_text() {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() > 20, "the sources were not found");
    let mut found = Vec::new();
    let mut excused = Vec::new();
    for (path, text) in &files {
        for (s, f, ty) in text_fields(text) {
            if OPEN_NAMES.iter().any(|(os, of, _)| *os == s && *of == f) {
                excused.push((s, f));
            } else {
                found.push(format!("{path}: {s}.{f}: {ty}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "status or kind fields typed as text (use an enum with key() and label()):\n{}",
        found.join("\n")
    );
    // Every exception still names a field that exists, so the list cannot go stale.
    for (s, f, _) in OPEN_NAMES {
        assert!(
            excused.iter().any(|(es, ef)| es == s && ef == f),
            "{s}.{f} is listed as an open name but no longer found"
        );
    }
}

#[test]
fn the_check_catches_a_text_status() {
    let broken = r#"
/// A row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Broken {
    /// Database id.
    pub id: i64,
    /// `draft` or `published`.
    pub status: String,
    /// A kind, optional.
    pub(crate) party_kind: Option<String>,
    /// A typed one: fine.
    pub outcome: Option<Outcome>,
    /// Free text, not a kind: fine.
    pub platform: String,
}

struct Private<'a> {
    state: std::string::String,
    name: &'a str,
}
"#;
    assert_eq!(
        text_fields(broken),
        vec![
            ("Broken".into(), "status".into(), "String".into()),
            (
                "Broken".into(),
                "party_kind".into(),
                "Option<String>".into()
            ),
            (
                "Private".into(),
                "state".into(),
                "std::string::String".into()
            ),
        ]
    );
}
