//! The rules of `spec/annual-report.md`: what `report check` proves, each finding with its rule id, severity, place and values.
