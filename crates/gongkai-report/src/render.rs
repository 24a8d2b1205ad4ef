//! Renders a report: the printed national text layout, Markdown, HTML, canonical JSON, DOCX and XLSX.
