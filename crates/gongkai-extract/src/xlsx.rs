//! Excel (.xlsx): the cells present in every sheet, read with calamine's streaming cell
//! reader. The sheet's declared dimension is never used: a file holding A1 and XFD1048576 is
//! two cells, and is refused by its columns, not allocated.

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};

use crate::meter::Meter;
use crate::zipped::unzip;
use crate::{Budget, ExtractError, Format, Limit};

/// A cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text (shared or inline).
    Text(String),
    /// A whole number.
    Int(i64),
    /// A number.
    Float(f64),
    /// TRUE / FALSE.
    Bool(bool),
    /// A date or time: the Excel serial number (days since 1899-12-30; time as the fraction).
    DateTime(f64),
    /// A date, time or duration written in ISO 8601.
    Iso(String),
    /// An error value such as `#DIV/0!`.
    Error(String),
}

/// One cell present in a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Row, from 0.
    pub row: u32,
    /// Column, from 0.
    pub col: u32,
    /// The value.
    pub value: Value,
}

/// One sheet: its name and the cells present, row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// The cells present, ordered by row, then column.
    pub cells: Vec<Cell>,
}

/// The sheets of a workbook, in the workbook's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    /// The sheets.
    pub sheets: Vec<Sheet>,
}

impl Value {
    /// The value as a person reads it: whole numbers without `.0`, dates as `YYYY-MM-DD`
    /// (with `HH:MM:SS` when they carry a time), text trimmed.
    pub fn text(&self) -> String {
        match self {
            Value::Text(s) | Value::Iso(s) => s.trim().to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Value::Float(f) => f.to_string(),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::DateTime(serial) => serial_text(*serial),
            Value::Error(e) => e.clone(),
        }
    }
}

/// An Excel serial date as `YYYY-MM-DD` (and the time when there is one), by the proleptic
/// Gregorian calendar from 1899-12-30; a serial out of Excel's range stays a number.
fn serial_text(serial: f64) -> String {
    if !(1.0..2_958_466.0).contains(&serial) {
        return serial.to_string();
    }
    let days = serial.floor() as i64;
    // Days from 1899-12-30 to 1970-01-01.
    let (y, m, d) = civil_from_days(days - 25_569);
    let secs = ((serial - serial.floor()) * 86_400.0).round() as i64;
    if secs == 0 || secs >= 86_400 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 → (year, month, day).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

impl Sheet {
    /// The rows from the first (row 0) to the last row holding a cell, each as long as its
    /// last cell, missing cells as empty strings: row `i` of the result is sheet row `i + 1`.
    /// Its size is bounded by the budget the sheet was read under.
    pub fn rows(&self) -> Vec<Vec<String>> {
        let Some(last) = self.cells.last() else {
            return Vec::new();
        };
        let mut rows = vec![Vec::new(); last.row as usize + 1];
        for cell in &self.cells {
            let row = &mut rows[cell.row as usize];
            let col = cell.col as usize;
            if row.len() <= col {
                row.resize(col + 1, String::new());
            }
            row[col] = cell.value.text();
        }
        rows
    }
}

impl Workbook {
    /// All text: each sheet's rows a line, cells separated by tabs, trailing blanks trimmed.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for sheet in &self.sheets {
            for row in sheet.rows() {
                out.push_str(row.join("\t").trim_end());
                out.push('\n');
            }
        }
        out
    }
}

/// Reads a .xlsx within `budget`. `file` names the file in errors.
pub fn read_xlsx(file: &str, data: &[u8], budget: &Budget) -> Result<Workbook, ExtractError> {
    let mut meter = Meter::start(file, Format::Xlsx, budget, data.len())?;
    // Inflates and depth-checks every part once, counted together: calamine then reads at
    // most that much again.
    unzip(&mut meter, data)?;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(data))
        .map_err(|e| meter.unreadable(format!("工作簿结构错误（{e}）")))?;
    let mut sheets = Vec::new();
    let mut cells_total: u64 = 0;
    for name in wb.sheet_names() {
        let mut reader = wb
            .worksheet_cells_reader(&name)
            .map_err(|e| meter.unreadable(format!("工作表「{name}」无法读取（{e}）")))?;
        let mut cells = Vec::new();
        loop {
            let next = reader
                .next_cell()
                .map_err(|e| meter.unreadable(format!("工作表「{name}」无法读取（{e}）")))?;
            let Some(cell) = next else { break };
            let (row, col) = cell.get_position();
            let value = match cell.get_value() {
                DataRef::Empty => continue,
                DataRef::String(s) => Value::Text(s.clone()),
                DataRef::SharedString(s) => Value::Text((*s).to_string()),
                DataRef::Int(i) => Value::Int(*i),
                DataRef::Float(f) => Value::Float(*f),
                DataRef::Bool(b) => Value::Bool(*b),
                DataRef::DateTime(dt) => Value::DateTime(dt.as_f64()),
                DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Iso(s.clone()),
                DataRef::Error(e) => Value::Error(e.to_string()),
            };
            if row >= budget.max_rows {
                return Err(meter.over(Limit::Rows(budget.max_rows)));
            }
            if col >= budget.max_cols {
                return Err(meter.over(Limit::Cols(budget.max_cols)));
            }
            cells_total += 1;
            if cells_total > budget.max_cells {
                return Err(meter.over(Limit::Cells(budget.max_cells)));
            }
            if let Value::Text(s) | Value::Iso(s) | Value::Error(s) = &value {
                meter.text(s.len())?;
            } else {
                meter.tick()?;
            }
            cells.push(Cell { row, col, value });
        }
        cells.sort_by_key(|c| (c.row, c.col));
        // A cell written twice keeps the later value, as Excel shows it.
        cells.dedup_by(|later, earlier| {
            let same = later.row == earlier.row && later.col == earlier.col;
            if same {
                std::mem::swap(later, earlier);
            }
            same
        });
        sheets.push(Sheet { name, cells });
    }
    Ok(Workbook { sheets })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates_read_as_dates() {
        assert_eq!(serial_text(43_831.0), "2020-01-01");
        assert_eq!(serial_text(45_658.5), "2025-01-01 12:00:00");
        assert_eq!(serial_text(61.0), "1900-03-01");
        assert_eq!(serial_text(0.25), "0.25");
    }
}
