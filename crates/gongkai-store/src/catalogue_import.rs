//! The import of a 基层政务公开标准目录 from the .xlsx tables counties publish. Headers are
//! found by name (公开事项 一级/二级, 公开内容（要素）, 公开依据, 公开时限, 公开主体, 公开渠道和载体,
//! 公开对象, 公开方式, 公开层级), on one header row or on the two-row form whose lower row splits
//! 公开事项 into 一级/二级 and ticks 全社会/特定群体, 主动/依申请, 县级/乡级. Every sheet with such a
//! header is read; the domain comes from a 领域 column, else the sheet's name, else the title
//! above the header, else the caller.
//!
//! All or nothing: every row is checked first and any bad row (named with its sheet, row and
//! reason) stops the import before anything is written. Entries the agency already has (same
//! domain and 公开事项) are skipped, so importing a file twice adds nothing.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use gongkai_law::catalogue::{Audience, Domain, Level, Mode};

use crate::models::agency::{self, AgencyLevel};
use crate::models::catalogue::{self, NewEntry};
use crate::{Store, StoreError};

/// One problem in a catalogue table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueRowError {
    /// The sheet's name.
    pub sheet: String,
    /// Row number as the spreadsheet shows it (1-based; 0 for the file as a whole).
    pub row: usize,
    /// The column at fault, by its header.
    pub field: Option<String>,
    /// Why (Chinese).
    pub reason: String,
}

impl std::fmt::Display for CatalogueRowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.sheet.is_empty() {
            write!(f, "工作表「{}」", self.sheet)?;
        }
        if self.row > 0 {
            write!(f, "第{}行", self.row)?;
        }
        match &self.field {
            Some(field) => write!(f, " {}：{}", field, self.reason),
            None => write!(f, "：{}", self.reason),
        }
    }
}

/// A table that cannot be imported as it is: every problem found. Nothing was imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueFileError {
    /// The file.
    pub file: PathBuf,
    /// Every problem, sheet by sheet in row order.
    pub errors: Vec<CatalogueRowError>,
}

impl std::fmt::Display for CatalogueFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let file = self.file.display();
        for e in &self.errors {
            writeln!(f, "{file}: {e}")?;
        }
        write!(
            f,
            "{file}: {} 处错误，未导入任何条目 / {} problem(s), nothing imported",
            self.errors.len(),
            self.errors.len()
        )
    }
}

impl std::error::Error for CatalogueFileError {}

/// What can stop a catalogue import.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueImportError {
    /// The table has bad rows; nothing was imported.
    #[error(transparent)]
    Rows(#[from] CatalogueFileError),
    /// The store failed or refused (unknown agency …).
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One good row of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueRow {
    /// The sheet.
    pub sheet: String,
    /// Row number in the sheet.
    pub row: usize,
    /// The entry it becomes.
    pub entry: NewEntry,
}

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct CatalogueOptions {
    /// The agency (id or name). Optional when the store holds one agency, or one county.
    pub agency: Option<String>,
    /// The domain of sheets that name none (no 领域 column, sheet name or title).
    pub domain: Option<Domain>,
    /// Only check and report.
    pub dry_run: bool,
    /// Who imports (for the audit log).
    pub actor: String,
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueOutcome {
    /// The agency whose catalogue it is.
    pub agency: String,
    /// Good rows in the file.
    pub rows: usize,
    /// Entries added.
    pub imported: u64,
    /// Rows whose entry the agency already had.
    pub already_present: u64,
    /// Whether this was a dry run (nothing written).
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    Domain,
    ItemL1,
    ItemL2,
    Content,
    Basis,
    TimeLimit,
    Subject,
    Channels,
    Audience,
    Mode,
    Level,
}

impl Col {
    fn label(self) -> &'static str {
        match self {
            Col::Domain => "领域",
            Col::ItemL1 => "公开事项（一级事项）",
            Col::ItemL2 => "公开事项（二级事项）",
            Col::Content => "公开内容（要素）",
            Col::Basis => "公开依据",
            Col::TimeLimit => "公开时限",
            Col::Subject => "公开主体",
            Col::Channels => "公开渠道和载体",
            Col::Audience => "公开对象",
            Col::Mode => "公开方式",
            Col::Level => "公开层级",
        }
    }

    /// Header names, compared after [`norm`] (no blanks, brackets or marks).
    const NAMES: [(Col, &'static [&'static str]); 11] = [
        (Col::Domain, &["领域", "所属领域", "公开领域"]),
        (
            Col::ItemL1,
            &["一级事项", "公开事项一级", "公开事项一级事项", "一级"],
        ),
        (
            Col::ItemL2,
            &["二级事项", "公开事项二级", "公开事项二级事项", "二级"],
        ),
        (Col::Content, &["公开内容要素", "公开内容"]),
        (Col::Basis, &["公开依据"]),
        (Col::TimeLimit, &["公开时限"]),
        (Col::Subject, &["公开主体"]),
        (
            Col::Channels,
            &["公开渠道和载体", "公开渠道及载体", "公开渠道"],
        ),
        (Col::Audience, &["公开对象"]),
        (Col::Mode, &["公开方式"]),
        (Col::Level, &["公开层级"]),
    ];

    const REQUIRED: [Col; 9] = [
        Col::ItemL1,
        Col::Content,
        Col::Basis,
        Col::TimeLimit,
        Col::Subject,
        Col::Channels,
        Col::Audience,
        Col::Mode,
        Col::Level,
    ];

    fn from_header(h: &str) -> Option<Col> {
        let h = norm(h);
        Col::NAMES
            .iter()
            .find(|(_, names)| names.contains(&h.as_str()))
            .map(|(c, _)| *c)
    }

    /// The parent headers whose lower row holds ticks rather than text.
    fn ticked(parent: &str) -> Option<Col> {
        match norm(parent).as_str() {
            "公开对象" => Some(Col::Audience),
            "公开方式" => Some(Col::Mode),
            "公开层级" => Some(Col::Level),
            _ => None,
        }
    }
}

/// A header without blanks, brackets, asterisks or colons.
fn norm(h: &str) -> String {
    h.chars()
        .filter(|c| !c.is_whitespace() && !"*＊:：()（）【】[]".contains(*c))
        .collect()
}

/// Whether a tick cell is ticked (√, ✓, 是, ●, any mark but a no).
fn ticked(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty() && !matches!(s, "否" | "×" | "✗" | "x" | "X" | "0" | "无" | "-" | "—")
}

/// Where a column's value comes from.
#[derive(Debug, Clone)]
enum Source {
    /// One cell.
    Cell(usize),
    /// Tick cells, each standing for a label; the value is the ticked labels joined by 、.
    Ticks(Vec<(usize, String)>),
}

/// One sheet's cells, as text, with the sheet's first row number.
struct Sheet {
    name: String,
    first_row: usize,
    cells: Vec<Vec<String>>,
}

fn read_sheets(path: &Path) -> Result<Vec<Sheet>, CatalogueFileError> {
    let fail = |reason: String| CatalogueFileError {
        file: path.to_path_buf(),
        errors: vec![CatalogueRowError {
            sheet: String::new(),
            row: 0,
            field: None,
            reason,
        }],
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if ext != "xlsx" && ext != "xlsm" {
        return Err(fail(format!(
            "不支持「{ext}」格式，请在 Excel 或 WPS 中另存为 .xlsx / save as .xlsx"
        )));
    }
    let budget = gongkai_extract::Budget::default();
    let name = path.display().to_string();
    let book = gongkai_extract::read_path(path, &budget)
        .and_then(|bytes| gongkai_extract::read_xlsx(&name, &bytes, &budget))
        .map_err(|e| fail(e.to_string()))?;
    let mut sheets = Vec::new();
    for sheet in book.sheets {
        // Rows are the sheet's own from row 1, so row numbers in errors are the sheet's.
        sheets.push(Sheet {
            first_row: 0,
            cells: sheet.rows(),
            name: sheet.name,
        });
    }
    Ok(sheets)
}

/// The columns of a sheet: the header row's index, the sources of the columns found, and the
/// index of the first data row.
fn find_columns(cells: &[Vec<String>]) -> Option<(usize, HashMap<Col, Source>, usize)> {
    let header = cells
        .iter()
        .position(|r| r.iter().any(|c| Col::from_header(c) == Some(Col::Content)))?;
    let top = &cells[header];
    let sub = cells.get(header + 1);
    let sub_labels = [
        "一级事项",
        "二级事项",
        "一级",
        "二级",
        "全社会",
        "特定群体",
        "主动",
        "依申请",
        "县级",
        "乡级",
    ];
    // The lower header row leaves 公开内容 blank (merged from above); a data row never does, so
    // a first data row that happens to say 全社会 or 县级 is not taken for a header.
    let content_at = top
        .iter()
        .position(|c| Col::from_header(c) == Some(Col::Content));
    let two_rows = sub.is_some_and(|r| {
        content_at.is_none_or(|i| r.get(i).is_none_or(String::is_empty))
            && r.iter().any(|c| sub_labels.contains(&norm(c).as_str()))
    });
    let mut cols: HashMap<Col, Source> = HashMap::new();
    let width = top.len().max(sub.map_or(0, Vec::len));
    // Merged header cells are blank after their first column: carry the parent forward.
    let mut parent = String::new();
    for i in 0..width {
        let t = top.get(i).map(String::as_str).unwrap_or("");
        if !t.is_empty() {
            parent = t.to_string();
        }
        let s = if two_rows {
            sub.and_then(|r| r.get(i)).map(String::as_str).unwrap_or("")
        } else {
            ""
        };
        if !s.is_empty() {
            if let Some(col) = Col::ticked(&parent) {
                match cols.entry(col).or_insert_with(|| Source::Ticks(Vec::new())) {
                    Source::Ticks(t) => t.push((i, norm(s))),
                    Source::Cell(_) => {}
                }
                continue;
            }
            if let Some(col) = Col::from_header(s) {
                cols.entry(col).or_insert(Source::Cell(i));
                continue;
            }
        }
        if !t.is_empty()
            && let Some(col) = Col::from_header(t)
        {
            cols.entry(col).or_insert(Source::Cell(i));
        }
    }
    Some((header, cols, header + if two_rows { 2 } else { 1 }))
}

/// Reads and checks a catalogue table. Every problem is reported, each with its sheet, row and
/// reason; `default_domain` serves sheets that name no domain.
pub fn read_catalogue(
    path: &Path,
    default_domain: Option<Domain>,
) -> Result<Vec<CatalogueRow>, CatalogueFileError> {
    let sheets = read_sheets(path)?;
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let mut seen: HashMap<(Domain, String, String), (String, usize)> = HashMap::new();
    let mut any_header = false;
    for sheet in &sheets {
        let Some((header, cols, first_data)) = find_columns(&sheet.cells) else {
            continue;
        };
        any_header = true;
        let rownum = |i: usize| sheet.first_row + i + 1;
        let err = |row: usize, col: Option<Col>, reason: String| CatalogueRowError {
            sheet: sheet.name.clone(),
            row,
            field: col.map(|c| c.label().to_string()),
            reason,
        };
        let missing: Vec<Col> = Col::REQUIRED
            .into_iter()
            .filter(|c| !cols.contains_key(c))
            .collect();
        if !missing.is_empty() {
            for c in missing {
                errors.push(err(
                    rownum(header),
                    Some(c),
                    format!("缺少「{}」列 / missing column", c.label()),
                ));
            }
            continue;
        }
        // The sheet's domain: its name, else a title line above the header.
        let sheet_domain = Domain::parse(&sheet.name)
            .or_else(|| {
                sheet.cells[..header]
                    .iter()
                    .flatten()
                    .find_map(|c| Domain::ALL.into_iter().find(|d| c.contains(d.label())))
            })
            .or(default_domain);
        let get = |r: &[String], c: Col| -> String {
            match cols.get(&c) {
                Some(Source::Cell(i)) => r.get(*i).cloned().unwrap_or_default(),
                Some(Source::Ticks(t)) => t
                    .iter()
                    .filter(|(i, _)| r.get(*i).is_some_and(|v| ticked(v)))
                    .map(|(_, l)| l.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
                None => String::new(),
            }
        };
        // Merged cells (一级事项 spanning its 二级事项, a 领域 spanning its rows) are blank
        // below their first row: carry them down.
        let mut last_l1 = String::new();
        let mut last_domain = String::new();
        for (i, r) in sheet.cells.iter().enumerate().skip(first_data) {
            let row = rownum(i);
            if r.iter().all(|c| c.is_empty()) {
                continue;
            }
            let before = errors.len();
            let mut domain_text = get(r, Col::Domain);
            if domain_text.is_empty() {
                domain_text = last_domain.clone();
            } else {
                last_domain = domain_text.clone();
            }
            let domain = if domain_text.is_empty() {
                sheet_domain
            } else {
                Domain::parse(&domain_text)
            };
            if domain.is_none() {
                errors.push(err(
                    row,
                    Some(Col::Domain),
                    if domain_text.is_empty() {
                        "无法确定所属领域（请在表中加「领域」列、以领域命名工作表，或指定领域）/ no domain".into()
                    } else {
                        format!("「{domain_text}」不是26个标准目录领域之一 / unknown domain")
                    },
                ));
            }
            let mut item_l1 = get(r, Col::ItemL1);
            if item_l1.is_empty() {
                item_l1 = last_l1.clone();
            } else {
                last_l1 = item_l1.clone();
            }
            if item_l1.is_empty() {
                errors.push(err(row, Some(Col::ItemL1), "一级事项为空 / empty".into()));
            }
            let item_l2 = get(r, Col::ItemL2);
            let content = get(r, Col::Content);
            if content.is_empty() {
                errors.push(err(
                    row,
                    Some(Col::Content),
                    "公开内容（要素）为空 / empty".into(),
                ));
            }
            let audience_text = get(r, Col::Audience);
            let audience = if audience_text.contains("全社会") {
                Some(Audience::Public)
            } else {
                Audience::parse(&audience_text)
            };
            if audience.is_none() {
                errors.push(err(
                    row,
                    Some(Col::Audience),
                    format!("无法识别的公开对象「{audience_text}」（应为 全社会/特定群体）/ unknown audience"),
                ));
            }
            let mode_text = get(r, Col::Mode);
            let mode = if mode_text.contains("主动") {
                Some(Mode::Proactive)
            } else {
                Mode::parse(&mode_text)
            };
            if mode.is_none() {
                errors.push(err(
                    row,
                    Some(Col::Mode),
                    format!("无法识别的公开方式「{mode_text}」（应为 主动/依申请）/ unknown mode"),
                ));
            }
            let level_text = get(r, Col::Level);
            let level = Level::parse(&level_text);
            if level.is_none() {
                errors.push(err(
                    row,
                    Some(Col::Level),
                    format!("无法识别的公开层级「{level_text}」（应为 县级/乡级）/ unknown level"),
                ));
            }
            if let Some(d) = domain
                && !item_l1.is_empty()
                && let Some((first_sheet, first_row)) = seen.insert(
                    (d, item_l1.clone(), item_l2.clone()),
                    (sheet.name.clone(), row),
                )
            {
                errors.push(err(
                    row,
                    Some(Col::ItemL2),
                    format!(
                        "公开事项「{item_l1} {item_l2}」与工作表「{first_sheet}」第{first_row}行重复 / duplicate"
                    ),
                ));
            }
            if errors.len() > before {
                continue;
            }
            if let (Some(domain), Some(audience), Some(mode), Some(level)) =
                (domain, audience, mode, level)
            {
                rows.push(CatalogueRow {
                    sheet: sheet.name.clone(),
                    row,
                    entry: NewEntry {
                        domain,
                        item_l1,
                        item_l2,
                        content,
                        basis: get(r, Col::Basis),
                        time_limit: get(r, Col::TimeLimit),
                        subject: get(r, Col::Subject),
                        channels: get(r, Col::Channels),
                        audience,
                        mode,
                        level,
                    },
                });
            }
        }
    }
    if !any_header {
        errors.push(CatalogueRowError {
            sheet: String::new(),
            row: 0,
            field: Some(Col::Content.label().to_string()),
            reason: "没有找到含「公开内容（要素）」列的工作表 / no catalogue table found".into(),
        });
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(CatalogueFileError {
            file: path.to_path_buf(),
            errors,
        })
    }
}

async fn target_agency(
    store: &Store,
    opts: &CatalogueOptions,
) -> Result<agency::Agency, StoreError> {
    if let Some(a) = &opts.agency {
        return agency::resolve(store, a).await;
    }
    let all = agency::list(store).await?;
    if all.len() == 1 {
        return Ok(all[0].clone());
    }
    let counties: Vec<&agency::Agency> = all
        .iter()
        .filter(|a| a.level == AgencyLevel::County)
        .collect();
    match counties.as_slice() {
        [one] => Ok((*one).clone()),
        _ => Err(StoreError::invalid(
            "请用 --agency 指定导入到哪个机关 / name the agency with --agency",
        )),
    }
}

/// Imports a catalogue table into an agency's 标准目录: every entry in one transaction, or
/// nothing if any row is bad (the error then names every bad row). Entries the agency already
/// has are skipped; when none is new, nothing is written.
pub async fn import_catalogue(
    store: &Store,
    path: &Path,
    opts: &CatalogueOptions,
) -> Result<CatalogueOutcome, CatalogueImportError> {
    let rows = read_catalogue(path, opts.domain)?;
    let agency = target_agency(store, opts).await?;
    let existing: HashSet<(String, String, String)> = catalogue::list(store, agency.id)
        .await?
        .into_iter()
        .map(|e| (e.domain, e.item_l1, e.item_l2))
        .collect();
    let fresh: Vec<NewEntry> = rows
        .iter()
        .filter(|r| {
            !existing.contains(&(
                r.entry.domain.key().to_string(),
                r.entry.item_l1.clone(),
                r.entry.item_l2.clone(),
            ))
        })
        .map(|r| r.entry.clone())
        .collect();
    let total = rows.len();
    let present = (total - fresh.len()) as u64;
    if opts.dry_run || fresh.is_empty() {
        return Ok(CatalogueOutcome {
            agency: agency.name,
            rows: total,
            imported: 0,
            already_present: present,
            dry_run: opts.dry_run,
        });
    }
    let detail = serde_json::json!({
        "file": path.file_name().map(|f| f.to_string_lossy().to_string()),
        "rows": total,
        "new": fresh.len(),
    })
    .to_string();
    let imported = catalogue::insert_entries(
        store,
        &opts.actor,
        "catalogue.import",
        &detail,
        agency.id,
        &fresh,
    )
    .await?;
    Ok(CatalogueOutcome {
        agency: agency.name,
        rows: total,
        imported,
        already_present: present + (fresh.len() as u64 - imported),
        dry_run: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_by_name() {
        assert_eq!(Col::from_header("公开内容（要素）"), Some(Col::Content));
        assert_eq!(Col::from_header("公开事项（一级事项）"), Some(Col::ItemL1));
        assert_eq!(Col::from_header("二级事项"), Some(Col::ItemL2));
        assert_eq!(Col::from_header(" 公开渠道和载体 "), Some(Col::Channels));
        assert_eq!(Col::from_header("序号"), None);
    }

    #[test]
    fn two_row_header_with_ticks() {
        let s = |v: &[&str]| v.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let cells = vec![
            s(&["社会救助领域基层政务公开标准目录"]),
            s(&[
                "序号",
                "公开事项",
                "",
                "公开内容（要素）",
                "公开依据",
                "公开时限",
                "公开主体",
                "公开渠道和载体",
                "公开对象",
                "",
                "公开方式",
                "",
                "公开层级",
                "",
            ]),
            s(&[
                "",
                "一级事项",
                "二级事项",
                "",
                "",
                "",
                "",
                "",
                "全社会",
                "特定群体",
                "主动",
                "依申请",
                "县级",
                "乡级",
            ]),
        ];
        let (header, cols, first) = find_columns(&cells).unwrap();
        assert_eq!((header, first), (1, 3));
        assert!(matches!(cols.get(&Col::ItemL2), Some(Source::Cell(2))));
        assert!(matches!(cols.get(&Col::Level), Some(Source::Ticks(t)) if t.len() == 2));
        for c in Col::REQUIRED {
            assert!(cols.contains_key(&c), "{c:?}");
        }
    }
}
