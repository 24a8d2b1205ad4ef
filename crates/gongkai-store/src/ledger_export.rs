//! The ledger export (依申请公开台账 as XLSX): the cases a filter finds
//! ([`crate::views::case_search`]), one row each, under the very headers
//! [`crate::ledger::read_ledger`] looks for, with channels, applicant kinds and outcomes
//! written as the labels it reads back. Exporting and importing into an empty database gives
//! the same table 三 (the round trip is tested on both back ends).
//!
//! Two columns follow for the reader's sake and are ignored by the import: the status
//! (办理状态) and the deadline (答复期限). No sealed personal data is exported.

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};

use crate::ledger::Col;
use crate::views::case_search::{self, CaseFilter, CaseLine};
use crate::{Store, StoreError};

/// The file name offered for the download.
pub const FILE_NAME: &str = "依申请公开台账.xlsx";

/// Headers after the importable ones: shown, not read back.
const EXTRA: [&str; 2] = ["办理状态", "答复期限"];

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> StoreError {
    StoreError::Io {
        path: FILE_NAME.into(),
        source: std::io::Error::other(e.to_string()),
    }
}

fn cell(line: &CaseLine, col: Col) -> String {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    match col {
        Col::TrackingNo => line.tracking_no.clone(),
        Col::Received => line.received_on.to_string(),
        Col::Channel => line.channel.label().to_string(),
        Col::Applicant => line.applicant_name.clone(),
        Col::Kind => line.applicant_kind.label().to_string(),
        Col::Description => line.description.clone(),
        // The import takes the reply date and the outcome together or not at all.
        Col::Replied => match (&line.outcome, line.concluded_on) {
            (Some(_), d) => date(d),
            (None, _) => String::new(),
        },
        Col::Outcome => match (line.outcome, line.concluded_on) {
            (Some(o), Some(_)) => o.label().to_string(),
            _ => String::new(),
        },
        Col::Note => line.note.clone(),
    }
}

/// Writes `lines` as the ledger workbook.
pub fn ledger_xlsx(lines: &[CaseLine]) -> Result<Vec<u8>, StoreError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name("依申请公开台账").map_err(xlsx_err)?;
    let headers = Col::ORDER.iter().map(|c| c.label()).chain(EXTRA);
    for (c, h) in headers.enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        ws.write_string_with_format(0, c, h, &bold)
            .map_err(xlsx_err)?;
    }
    for (r, line) in lines.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| StoreError::invalid("台账行数过多"))?;
        for (c, col) in Col::ORDER.iter().enumerate() {
            let text = cell(line, *col);
            if !text.is_empty() {
                ws.write_string(r, c as u16, text).map_err(xlsx_err)?;
            }
        }
        let n = Col::ORDER.len() as u16;
        ws.write_string(r, n, line.status.label())
            .map_err(xlsx_err)?;
        if let Some(d) = line.due_on.filter(|_| line.concluded_on.is_none()) {
            ws.write_string(r, n + 1, d.to_string()).map_err(xlsx_err)?;
        }
    }
    ws.set_column_width(0, 24).map_err(xlsx_err)?;
    ws.set_column_width(5, 40).map_err(xlsx_err)?;
    ws.set_column_width(7, 30).map_err(xlsx_err)?;
    ws.set_freeze_panes(1, 0).map_err(xlsx_err)?;
    wb.save_to_buffer().map_err(xlsx_err)
}

/// The ledger of the cases of `root`'s subtree that `filter` finds, as XLSX bytes.
pub async fn export_ledger(
    store: &Store,
    root: i64,
    filter: &CaseFilter,
    today: NaiveDate,
) -> Result<Vec<u8>, StoreError> {
    let lines = case_search::find_cases(store, root, filter, today, 0, None).await?;
    ledger_xlsx(&lines)
}
