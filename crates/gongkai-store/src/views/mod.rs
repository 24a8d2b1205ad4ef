//! Read models for the public portal (`gongkai-web`): the queries its pages and API need that
//! the entity modules do not offer (filtered and paged listings, counts, statistics for the
//! charts). Written with `on_db!` so one SQL text serves both back ends; nothing here writes.

pub mod case_search;
pub mod desk;
pub mod portal;
pub mod registry;
pub mod site_report;
pub mod supervision;
