//! What one file has used of its budget so far.

use std::time::Instant;

use crate::{Budget, ExtractError, Format, Limit};

/// Counts inflated bytes, text and time of one file against its [`Budget`].
pub(crate) struct Meter<'a> {
    pub(crate) file: &'a str,
    pub(crate) format: Format,
    pub(crate) budget: &'a Budget,
    started: Instant,
    inflated: u64,
    text: usize,
    ticks: u32,
}

impl<'a> Meter<'a> {
    /// Starts the clock, after checking the file's own size.
    pub(crate) fn start(
        file: &'a str,
        format: Format,
        budget: &'a Budget,
        len: usize,
    ) -> Result<Self, ExtractError> {
        let meter = Meter {
            file,
            format,
            budget,
            started: Instant::now(),
            inflated: 0,
            text: 0,
            ticks: 0,
        };
        if len as u64 > budget.max_file_bytes {
            return Err(meter.over(Limit::FileBytes(budget.max_file_bytes)));
        }
        Ok(meter)
    }

    pub(crate) fn over(&self, limit: Limit) -> ExtractError {
        ExtractError::OverBudget {
            file: self.file.to_string(),
            limit,
        }
    }

    pub(crate) fn unreadable(&self, reason: impl Into<String>) -> ExtractError {
        ExtractError::unreadable(self.file, self.format, reason)
    }

    /// The bytes that may still be inflated.
    pub(crate) fn inflate_left(&self) -> u64 {
        self.budget.max_inflated_bytes.saturating_sub(self.inflated)
    }

    /// Counts `n` more inflated bytes.
    pub(crate) fn inflated(&mut self, n: u64) -> Result<(), ExtractError> {
        self.inflated = self.inflated.saturating_add(n);
        if self.inflated > self.budget.max_inflated_bytes {
            return Err(self.over(Limit::InflatedBytes(self.budget.max_inflated_bytes)));
        }
        self.time()
    }

    /// Counts `n` more bytes of extracted text.
    pub(crate) fn text(&mut self, n: usize) -> Result<(), ExtractError> {
        self.text = self.text.saturating_add(n);
        if self.text > self.budget.max_text_bytes {
            return Err(self.over(Limit::TextBytes(self.budget.max_text_bytes)));
        }
        self.tick()
    }

    /// A cheap step of a loop: checks the clock every 1,024 calls.
    pub(crate) fn tick(&mut self) -> Result<(), ExtractError> {
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks.is_multiple_of(1024) {
            self.time()
        } else {
            Ok(())
        }
    }

    /// Checks the clock now.
    pub(crate) fn time(&self) -> Result<(), ExtractError> {
        if self.started.elapsed() > self.budget.max_time {
            return Err(self.over(Limit::Time(self.budget.max_time)));
        }
        Ok(())
    }
}
