//! The annual report on open government information (政府信息公开工作年度报告).
//!
//! Start with [`model::Report`], the canonical form of a report in either national format. Read
//! published reports with [`parse`], prove or refute their arithmetic with [`rules`], write them
//! with [`render`], and sum several with [`aggregate`]; read a folder or archive of them with [`batch`] and
//! set a unit's two years side by side with [`compare`].

pub mod aggregate;
pub mod batch;
pub mod compare;
#[cfg(feature = "fetch")]
pub mod fetch;
pub mod model;
mod normalize;
pub mod parse;
pub mod prose;
pub mod render;
pub mod rules;

pub use model::Report;
