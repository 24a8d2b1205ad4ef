//! The zip container of Office Open XML files, opened under the budget: entries counted,
//! overlapping entries refused, every entry inflated once with all of them counted together,
//! every XML part's depth checked.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use crate::meter::Meter;
use crate::xml::check_depth;
use crate::{ExtractError, Limit};

/// The inflated parts of a zip container, by name.
pub(crate) type Parts = BTreeMap<String, Vec<u8>>;

/// Inflates every entry of `data` within the budget. After this returns, any reader of the
/// same bytes (calamine) reads at most what was counted here.
pub(crate) fn unzip(meter: &mut Meter<'_>, data: &[u8]) -> Result<Parts, ExtractError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(data))
        .map_err(|e| meter.unreadable(format!("不是有效的压缩包（{e}）")))?;
    if zip.len() > meter.budget.max_entries {
        return Err(meter.over(Limit::Entries(meter.budget.max_entries)));
    }
    // Several directory entries pointing at one stream would inflate it once each.
    match zip.has_overlapping_entries() {
        Ok(false) => {}
        Ok(true) => return Err(meter.over(Limit::OverlappingEntries)),
        Err(e) => return Err(meter.unreadable(format!("压缩包目录损坏（{e}）"))),
    }
    let mut parts = Parts::new();
    for i in 0..zip.len() {
        let left = meter.inflate_left();
        let mut entry = zip
            .by_index(i)
            .map_err(|e| meter.unreadable(format!("压缩包条目无法读取（{e}）")))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry
            .name()
            .map_err(|e| meter.unreadable(format!("压缩包条目名称无效（{e}）")))?
            .into_owned();
        let mut bytes = Vec::new();
        // One byte more than is left tells "over" from "exactly at the limit".
        (&mut entry)
            .take(left.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| meter.unreadable(format!("{name} 无法解压（{e}）")))?;
        drop(entry);
        meter.inflated(bytes.len() as u64)?;
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".xml") || lower.ends_with(".rels") {
            check_depth(meter, &name, &bytes)?;
        }
        parts.insert(name, bytes);
    }
    Ok(parts)
}
