//! The one error of the readers: a limit of the budget reached, or a file that cannot be read.

use std::fmt;
use std::time::Duration;

/// The kinds of file read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Word (.docx).
    Docx,
    /// Excel (.xlsx).
    Xlsx,
    /// PDF.
    Pdf,
    /// Plain text.
    Text,
    /// HTML.
    Html,
}

impl Format {
    /// The name a person knows the format by.
    pub fn label(self) -> &'static str {
        match self {
            Format::Docx => "Word 文件（.docx）",
            Format::Xlsx => "Excel 文件（.xlsx）",
            Format::Pdf => "PDF 文件",
            Format::Text => "文本文件",
            Format::Html => "网页文件（.html）",
        }
    }
}

/// A limit of the [`crate::Budget`], with the value in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The file's own size (bytes).
    FileBytes(u64),
    /// Entries of the zip container.
    Entries(usize),
    /// Bytes inflated from all entries or streams together.
    InflatedBytes(u64),
    /// Rows of one sheet.
    Rows(u32),
    /// Columns of one sheet.
    Cols(u32),
    /// Cells present in the workbook.
    Cells(u64),
    /// Bytes of extracted text.
    TextBytes(usize),
    /// XML nesting depth.
    XmlDepth(usize),
    /// Pages of a PDF.
    Pages(usize),
    /// Wall time.
    Time(Duration),
    /// Zip entries that share bytes (one stream counted many times).
    OverlappingEntries,
}

fn size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MB", bytes / MIB)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} 字节")
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Limit::FileBytes(n) => write!(f, "文件大小不得超过 {}", size(n)),
            Limit::Entries(n) => write!(f, "压缩包内的条目不得超过 {n} 个"),
            Limit::InflatedBytes(n) => write!(f, "解压后的总大小不得超过 {}", size(n)),
            Limit::Rows(n) => write!(f, "工作表不得超过 {n} 行"),
            Limit::Cols(n) => write!(f, "工作表不得超过 {n} 列"),
            Limit::Cells(n) => write!(f, "单元格总数不得超过 {n} 个"),
            Limit::TextBytes(n) => write!(f, "提取的文字不得超过 {}", size(n as u64)),
            Limit::XmlDepth(n) => write!(f, "XML 嵌套不得超过 {n} 层"),
            Limit::Pages(n) => write!(f, "PDF 不得超过 {n} 页"),
            Limit::Time(d) => write!(f, "读取时间不得超过 {} 秒", d.as_secs().max(1)),
            Limit::OverlappingEntries => write!(f, "压缩包内的条目不得相互重叠"),
        }
    }
}

/// Why a file was not read. Nothing of a refused file should be kept by the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// A limit of the budget was reached while reading.
    #[error("文件「{file}」超出处理上限：{limit}，已拒绝。")]
    OverBudget {
        /// The file name as given by the caller.
        file: String,
        /// The limit reached.
        limit: Limit,
    },
    /// The file is damaged or not of the format its name says.
    #[error("无法读取{}「{file}」，请检查文件是否损坏：{reason}", format.label())]
    Unreadable {
        /// The file name as given by the caller.
        file: String,
        /// The format it was read as.
        format: Format,
        /// What failed, in Chinese.
        reason: String,
    },
    /// The file could not be opened or read from disk.
    #[error("无法读取文件「{file}」：{reason}")]
    Io {
        /// The file name as given by the caller.
        file: String,
        /// The operating system's reason.
        reason: String,
    },
    /// A text or HTML file in a character set that cannot be told.
    #[error("文件「{file}」的字符编码无法识别，请另存为 UTF-8 后再上传。")]
    Charset {
        /// The file name as given by the caller.
        file: String,
    },
}

impl ExtractError {
    /// The limit reached, if that is why the file was refused.
    pub fn limit(&self) -> Option<Limit> {
        match self {
            ExtractError::OverBudget { limit, .. } => Some(*limit),
            _ => None,
        }
    }

    pub(crate) fn unreadable(file: &str, format: Format, reason: impl Into<String>) -> Self {
        ExtractError::Unreadable {
            file: file.to_string(),
            format,
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_file_and_the_limit() {
        let e = ExtractError::OverBudget {
            file: "名单.xlsx".into(),
            limit: Limit::InflatedBytes(64 * 1024 * 1024),
        };
        assert_eq!(
            e.to_string(),
            "文件「名单.xlsx」超出处理上限：解压后的总大小不得超过 64 MB，已拒绝。"
        );
        assert_eq!(Limit::Cols(1000).to_string(), "工作表不得超过 1000 列");
    }
}
