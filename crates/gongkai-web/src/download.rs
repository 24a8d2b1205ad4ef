//! File answers: a download with its media type and its (possibly Chinese) file name, for the
//! portal's report files and the items' attachments alike.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use gongkai_store::models::attachment::AttachmentMeta;

/// A file download named `file_name` (RFC 5987 encoded, so Chinese names survive), sandboxed so
/// that a file opened in the browser cannot run anything.
pub fn file(file_name: &str, media_type: &str, data: Vec<u8>) -> Response {
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, media_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename*=UTF-8''{encoded}"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_string(),
            ),
        ],
        data,
    )
        .into_response()
}

/// The media type of a Word (OOXML) document.
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
/// The media type of an Excel (OOXML) workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The media type of a PDF document.
pub const PDF: &str = "application/pdf";

/// A file as a download: never shown inline (an HTML attachment must not run as a page of
/// this site), its name in RFC 5987 form.
pub fn attachment(meta: &AttachmentMeta, data: Vec<u8>) -> Response {
    file(&meta.file_name, &meta.media_type, data)
}
