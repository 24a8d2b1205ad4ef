//! The ledger import (依申请公开台账): agencies keep their applications in Excel or CSV; this
//! reads such a file (headers found by name and their usual variants), checks every row, and
//! imports all rows in one transaction, or none of them if any row is bad. Rows whose
//! 申请编号 the agency already has are skipped, so importing a file twice adds nothing.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use gongkai_law::{ApplicantKind, Channel, Outcome};
use sqlx::Row;

use crate::models::agency::{self, AgencyLevel};
use crate::models::application::{self, Applicant, NewApplication, Prepared};
use crate::{Progress, ProgressFn, Store, StoreError};

/// One problem in a ledger, at a row (the spreadsheet's own numbering: the header is row 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRowError {
    /// Row number as the spreadsheet shows it.
    pub row: usize,
    /// The column at fault, by its header.
    pub field: Option<String>,
    /// Why (Chinese).
    pub reason: String,
}

impl std::fmt::Display for LedgerRowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "第{}行 {}：{}", self.row, field, self.reason),
            None => write!(f, "第{}行：{}", self.row, self.reason),
        }
    }
}

/// A ledger that cannot be imported as it is: every problem found. Nothing was imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerError {
    /// The file.
    pub file: PathBuf,
    /// Every problem, in row order.
    pub errors: Vec<LedgerRowError>,
}

impl std::fmt::Display for LedgerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let file = self.file.display();
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{file}: {e}")?;
        }
        write!(
            f,
            "\n{file}: {} 处错误，未导入任何记录 / {} problem(s), nothing imported",
            self.errors.len(),
            self.errors.len()
        )
    }
}

impl std::error::Error for LedgerError {}

/// One good row of a ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    /// Row number in the file.
    pub row: usize,
    /// 申请编号
    pub tracking_no: String,
    /// 收到日期
    pub received_on: NaiveDate,
    /// 申请方式
    pub channel: Channel,
    /// 申请人
    pub applicant: String,
    /// 申请人类型
    pub kind: ApplicantKind,
    /// 申请内容
    pub description: String,
    /// 答复日期 and 办理结果, when answered.
    pub reply: Option<(NaiveDate, Outcome)>,
    /// 备注
    pub note: String,
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerOutcome {
    /// The agency the rows were imported for.
    pub agency: String,
    /// Good rows in the file.
    pub rows: usize,
    /// Rows added.
    pub imported: u64,
    /// Rows whose 申请编号 the agency already had.
    pub already_present: u64,
    /// Whether this was a dry run (nothing written).
    pub dry_run: bool,
}

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct LedgerOptions {
    /// The agency (id or name). Optional when the store holds one agency; created when the
    /// store holds none.
    pub agency: Option<String>,
    /// Only check and report.
    pub dry_run: bool,
    /// Who imports (for the audit log).
    pub actor: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Col {
    TrackingNo,
    Received,
    Channel,
    Applicant,
    Kind,
    Description,
    Replied,
    Outcome,
    Note,
}

impl Col {
    /// The columns in the order the export ([`crate::ledger_export`]) writes them.
    pub(crate) const ORDER: [Col; 9] = [
        Col::TrackingNo,
        Col::Received,
        Col::Channel,
        Col::Applicant,
        Col::Kind,
        Col::Description,
        Col::Replied,
        Col::Outcome,
        Col::Note,
    ];

    pub(crate) fn label(self) -> &'static str {
        match self {
            Col::TrackingNo => "申请编号",
            Col::Received => "收到日期",
            Col::Channel => "申请方式",
            Col::Applicant => "申请人",
            Col::Kind => "申请人类型",
            Col::Description => "申请内容",
            Col::Replied => "答复日期",
            Col::Outcome => "办理结果",
            Col::Note => "备注",
        }
    }

    /// The names a header may carry, longest first within a column so 申请人类型 is never
    /// taken for 申请人.
    const NAMES: [(Col, &'static [&'static str]); 9] = [
        (
            Col::Kind,
            &[
                "申请人类型",
                "申请人类别",
                "申请人性质",
                "申请人身份",
                "类型",
            ],
        ),
        (
            Col::TrackingNo,
            &["申请编号", "申请单号", "受理编号", "登记编号", "编号"],
        ),
        (
            Col::Received,
            &[
                "收到日期",
                "受理日期",
                "收到时间",
                "受理时间",
                "收文日期",
                "登记日期",
                "申请日期",
                "申请时间",
            ],
        ),
        (
            Col::Channel,
            &["申请方式", "申请渠道", "提交方式", "申请途径"],
        ),
        (
            Col::Description,
            &[
                "申请内容",
                "申请公开内容",
                "申请事项",
                "申请公开的内容",
                "内容",
            ],
        ),
        (
            Col::Replied,
            &["答复日期", "答复时间", "办结日期", "办结时间"],
        ),
        (
            Col::Outcome,
            &["办理结果", "答复结果", "处理结果", "答复类型", "答复情况"],
        ),
        (Col::Note, &["备注", "说明"]),
        (
            Col::Applicant,
            &["申请人", "申请人姓名", "申请人名称", "申请人姓名或名称"],
        ),
    ];

    fn from_header(h: &str) -> Option<Col> {
        let h: String = h
            .chars()
            .filter(|c| !c.is_whitespace() && !"*＊:：".contains(*c))
            .collect();
        // "收到日期（受理日期）", "申请人类型(自然人/法人)": the head decides.
        let head = h.split(['（', '(']).next().unwrap_or(&h);
        Col::NAMES
            .iter()
            .find(|(_, names)| names.contains(&head))
            .map(|(c, _)| *c)
    }
}

fn excel_serial_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(serial.floor() as u64))
}

/// Reads the dates people write in ledgers: 2020-01-05, 2020/1/5, 2020.1.5, 2020年1月5日,
/// 20200105, and Excel serial numbers.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    // A time part ("2020-01-05 10:30") is dropped.
    let s = s.split([' ', 'T']).next().unwrap_or(s);
    if s.len() == 8 && s.chars().all(|c| c.is_ascii_digit()) {
        return NaiveDate::parse_from_str(s, "%Y%m%d").ok();
    }
    if let Ok(serial) = s.parse::<f64>()
        && serial > 20_000.0
        && serial < 80_000.0
    {
        return excel_serial_date(serial);
    }
    let parts: Vec<&str> = s
        .split(|c: char| "-/.年月日".contains(c))
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3 {
        return None;
    }
    let y: i32 = parts[0].parse().ok()?;
    let m: u32 = parts[1].parse().ok()?;
    let d: u32 = parts[2].parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
}

fn parse_channel(s: &str) -> Option<Channel> {
    let s = s.trim();
    if s.is_empty() {
        return Some(Channel::InPerson);
    }
    Channel::parse(s).or(match s {
        "信函" | "邮件" | "邮政" | "来信" => Some(Channel::Post),
        "平信" => Some(Channel::OrdinaryLetter),
        "当面提交" | "当面申请" | "窗口" | "现场申请" => Some(Channel::InPerson),
        "网络" | "网上" | "网申" | "在线申请" | "网站" | "政府网站" => {
            Some(Channel::Online)
        }
        "电子邮件" | "邮箱" | "email" | "Email" | "E-mail" => Some(Channel::Email),
        "传真" => Some(Channel::Fax),
        _ => None,
    })
}

/// Reads every row of a ledger (.xlsx or .csv) as text cells, header first.
fn read_cells(path: &Path) -> Result<Vec<Vec<String>>, LedgerError> {
    let fail = |reason: String| LedgerError {
        file: path.to_path_buf(),
        errors: vec![LedgerRowError {
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
    match ext.as_str() {
        "xlsx" | "xlsm" => {
            let budget = gongkai_extract::Budget::default();
            let name = path.display().to_string();
            let book = gongkai_extract::read_path(path, &budget)
                .and_then(|bytes| gongkai_extract::read_xlsx(&name, &bytes, &budget))
                .map_err(|e| fail(e.to_string()))?;
            let sheet = book
                .sheets
                .into_iter()
                .next()
                .ok_or_else(|| fail("表格中没有工作表 / no worksheet".into()))?;
            Ok(sheet.rows())
        }
        "xls" | "ods" => Err(fail(format!(
            "不支持「{ext}」格式，请在 Excel 或 WPS 中另存为 .xlsx 或 .csv / save as .xlsx or .csv"
        ))),
        "csv" | "txt" => {
            let budget = gongkai_extract::Budget::default();
            let name = path.display().to_string();
            let text = gongkai_extract::read_path(path, &budget)
                .and_then(|bytes| gongkai_extract::read_text(&name, &bytes, &budget))
                .map_err(|e| fail(e.to_string()))?;
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let mut rows = Vec::new();
            for (i, rec) in rdr.records().enumerate() {
                let rec = rec.map_err(|e| LedgerError {
                    file: path.to_path_buf(),
                    errors: vec![LedgerRowError {
                        row: i + 1,
                        field: None,
                        reason: format!("CSV 格式错误 / malformed CSV: {e}"),
                    }],
                })?;
                rows.push(rec.iter().map(|s| s.trim().to_string()).collect());
            }
            Ok(rows)
        }
        _ => Err(fail(format!(
            "不支持的文件类型「{ext}」，请使用 .xlsx 或 .csv / unsupported file type"
        ))),
    }
}

/// Reads and checks a ledger. Every problem is reported, each with its row number and reason.
pub fn read_ledger(path: &Path) -> Result<Vec<LedgerRow>, LedgerError> {
    let cells = read_cells(path)?;
    let mut errors = Vec::new();
    let err = |row: usize, col: Option<Col>, reason: String| LedgerRowError {
        row,
        field: col.map(|c| c.label().to_string()),
        reason,
    };
    // The header is the first non-blank row.
    let Some(header_idx) = cells.iter().position(|r| r.iter().any(|c| !c.is_empty())) else {
        return Err(LedgerError {
            file: path.to_path_buf(),
            errors: vec![err(1, None, "文件为空 / empty file".into())],
        });
    };
    let mut cols: HashMap<Col, usize> = HashMap::new();
    for (i, h) in cells[header_idx].iter().enumerate() {
        if let Some(c) = Col::from_header(h) {
            cols.entry(c).or_insert(i);
        }
    }
    for required in [Col::TrackingNo, Col::Received, Col::Kind] {
        if !cols.contains_key(&required) {
            errors.push(err(
                header_idx + 1,
                Some(required),
                format!("缺少「{}」列 / missing column", required.label()),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(LedgerError {
            file: path.to_path_buf(),
            errors,
        });
    }
    let get = |r: &[String], c: Col| -> String {
        cols.get(&c)
            .and_then(|i| r.get(*i))
            .cloned()
            .unwrap_or_default()
    };
    let mut rows = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, r) in cells.iter().enumerate().skip(header_idx + 1) {
        let row = i + 1;
        if r.iter().all(|c| c.is_empty()) {
            continue;
        }
        let before = errors.len();
        let tracking_no = get(r, Col::TrackingNo);
        if tracking_no.is_empty() {
            errors.push(err(
                row,
                Some(Col::TrackingNo),
                "申请编号为空 / empty".into(),
            ));
        } else if let Some(first) = seen.insert(tracking_no.clone(), row) {
            errors.push(err(
                row,
                Some(Col::TrackingNo),
                format!("申请编号「{tracking_no}」与第{first}行重复 / duplicate"),
            ));
        }
        let received_text = get(r, Col::Received);
        let received = parse_date(&received_text);
        if received.is_none() {
            errors.push(err(
                row,
                Some(Col::Received),
                format!("无法识别的日期「{received_text}」/ unreadable date"),
            ));
        }
        let channel_text = get(r, Col::Channel);
        let channel = parse_channel(&channel_text);
        if channel.is_none() {
            errors.push(err(
                row,
                Some(Col::Channel),
                format!("无法识别的申请方式「{channel_text}」/ unknown channel"),
            ));
        }
        let kind_text = get(r, Col::Kind);
        let kind = ApplicantKind::parse(&kind_text);
        if kind.is_none() {
            errors.push(err(
                row,
                Some(Col::Kind),
                format!(
                    "无法识别的申请人类型「{kind_text}」（应为 自然人/商业企业/科研机构/社会公益组织/法律服务机构/其他）/ unknown applicant kind"
                ),
            ));
        }
        let replied_text = get(r, Col::Replied);
        let outcome_text = get(r, Col::Outcome);
        let replied = if replied_text.is_empty() {
            None
        } else {
            let d = parse_date(&replied_text);
            if d.is_none() {
                errors.push(err(
                    row,
                    Some(Col::Replied),
                    format!("无法识别的日期「{replied_text}」/ unreadable date"),
                ));
            }
            d
        };
        let outcome = if outcome_text.is_empty() {
            None
        } else {
            let o = Outcome::parse(&outcome_text);
            if o.is_none() {
                errors.push(err(
                    row,
                    Some(Col::Outcome),
                    format!("无法识别的办理结果「{outcome_text}」（应为年报表三的一项，如 予以公开）/ unknown outcome"),
                ));
            }
            o
        };
        if replied_text.is_empty() != outcome_text.is_empty() {
            errors.push(err(
                row,
                Some(if replied_text.is_empty() {
                    Col::Replied
                } else {
                    Col::Outcome
                }),
                "答复日期与办理结果须同时填写或同时留空 / reply date and outcome go together"
                    .into(),
            ));
        }
        if let (Some(rec), Some(rep)) = (received, replied)
            && rep < rec
        {
            errors.push(err(
                row,
                Some(Col::Replied),
                format!("答复日期 {rep} 早于收到日期 {rec} / reply before receipt"),
            ));
        }
        if errors.len() > before {
            continue;
        }
        if let (Some(received_on), Some(channel), Some(kind)) = (received, channel, kind) {
            rows.push(LedgerRow {
                row,
                tracking_no,
                received_on,
                channel,
                applicant: get(r, Col::Applicant),
                kind,
                description: get(r, Col::Description),
                reply: replied.zip(outcome),
                note: get(r, Col::Note),
            });
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(LedgerError {
            file: path.to_path_buf(),
            errors,
        })
    }
}

async fn target_agency(store: &Store, opts: &LedgerOptions) -> Result<agency::Agency, StoreError> {
    let all = agency::list(store).await?;
    match &opts.agency {
        Some(a) => match agency::resolve(store, a).await {
            Ok(found) => Ok(found),
            Err(StoreError::NotFound(_)) if all.is_empty() && !opts.dry_run => {
                agency::ensure(store, &opts.actor, a, AgencyLevel::County, None, None).await
            }
            Err(StoreError::NotFound(_)) if all.is_empty() => Ok(agency::Agency {
                id: 0,
                name: a.clone(),
                level: AgencyLevel::County,
                parent_id: None,
                credit_code: None,
            }),
            Err(e) => Err(e),
        },
        None if all.len() == 1 => Ok(all[0].clone()),
        None => Err(StoreError::invalid(
            "请用 --agency 指定导入到哪个机关 / name the agency with --agency",
        )),
    }
}

/// Imports a ledger: all rows in one transaction, or nothing if any row is bad (the error then
/// lists every bad row). Rows the agency already has (same 申请编号) are skipped.
pub async fn import_ledger(
    store: &Store,
    path: &Path,
    opts: &LedgerOptions,
    progress: ProgressFn<'_>,
) -> Result<LedgerOutcome, StoreError> {
    progress(&Progress {
        stage: "读取".into(),
        done: 0,
        total: 1,
    });
    let rows = read_ledger(path)?;
    let agency = target_agency(store, opts).await?;
    let existing: HashSet<String> = if agency.id == 0 {
        HashSet::new()
    } else {
        on_db!(store, pool => {
            let rs = sqlx::query("SELECT tracking_no FROM applications WHERE agency_id = $1")
                .bind(agency.id)
                .fetch_all(pool)
                .await?;
            rs.iter().map(|r| r.try_get::<String, _>("tracking_no")).collect::<Result<_, _>>()?
        })
    };
    let fresh: Vec<&LedgerRow> = rows
        .iter()
        .filter(|r| !existing.contains(&r.tracking_no))
        .collect();
    let total = rows.len();
    if opts.dry_run {
        return Ok(LedgerOutcome {
            agency: agency.name,
            rows: total,
            imported: 0,
            already_present: (total - fresh.len()) as u64,
            dry_run: true,
        });
    }
    let mut prepared: Vec<Prepared> = Vec::with_capacity(fresh.len());
    for (i, r) in fresh.iter().enumerate() {
        let new = NewApplication {
            agency_id: agency.id,
            tracking_no: Some(r.tracking_no.clone()),
            channel: r.channel,
            sent_on: None,
            arrived: r.received_on,
            confirmed: r.channel.needs_confirmation().then_some(r.received_on),
            applicant: Applicant {
                kind: Some(r.kind),
                name: r.applicant.clone(),
                ..Applicant::default()
            },
            description: r.description.clone(),
            document_number: None,
            delivery: "paper".into(),
            note: r.note.clone(),
        };
        prepared.push(
            application::prepare(store, &new, &[], r.reply).map_err(|e| LedgerError {
                file: path.to_path_buf(),
                errors: vec![LedgerRowError {
                    row: r.row,
                    field: None,
                    reason: e.to_string(),
                }],
            })?,
        );
        if i % 5000 == 0 {
            progress(&Progress {
                stage: "校验".into(),
                done: i as u64,
                total: fresh.len() as u64,
            });
        }
    }
    let written = std::sync::atomic::AtomicU64::new(0);
    let n_fresh = prepared.len() as u64;
    let detail = serde_json::json!({"file": path.file_name().map(|f| f.to_string_lossy().to_string()), "rows": total}).to_string();
    let (imported, skipped) = application::insert_prepared(
        store,
        &opts.actor,
        "ledger.import",
        &detail,
        &prepared,
        None,
        &|k| {
            let d = written.fetch_add(k, std::sync::atomic::Ordering::Relaxed) + k;
            progress(&Progress {
                stage: "写入".into(),
                done: d,
                total: n_fresh,
            });
        },
    )
    .await?;
    Ok(LedgerOutcome {
        agency: agency.name,
        rows: total,
        imported,
        already_present: (total - fresh.len()) as u64 + skipped,
        dry_run: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_ledgers_write_them() {
        let d = NaiveDate::from_ymd_opt(2020, 1, 5);
        for s in [
            "2020-01-05",
            "2020/1/5",
            "2020.1.5",
            "2020年1月5日",
            "20200105",
            "2020-01-05 10:30",
            "43835",
        ] {
            assert_eq!(parse_date(s), d, "{s}");
        }
        assert_eq!(parse_date("2020-13-01"), None);
        assert_eq!(parse_date("昨天"), None);
    }

    #[test]
    fn headers_and_their_variants() {
        assert_eq!(Col::from_header("申请人类型"), Some(Col::Kind));
        assert_eq!(Col::from_header("申请人"), Some(Col::Applicant));
        assert_eq!(
            Col::from_header("收到日期（受理日期）"),
            Some(Col::Received)
        );
        assert_eq!(Col::from_header(" 受理日期 "), Some(Col::Received));
        assert_eq!(Col::from_header("*申请编号"), Some(Col::TrackingNo));
        assert_eq!(Col::from_header("答复结果"), Some(Col::Outcome));
    }
}
