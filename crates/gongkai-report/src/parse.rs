//! Reads published reports: text (tabs, `|`, one cell per line), HTML tables and canonical JSON.
