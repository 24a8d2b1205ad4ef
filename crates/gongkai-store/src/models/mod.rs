//! One module per entity, each owning its type and its queries (vaultwarden style).

pub mod accountability;
pub mod agency;
pub mod api_token;
pub mod appeal;
pub mod application;
pub mod application_desk;
pub mod attachment;
pub mod auto_outcome;
pub mod case_delivery;
pub mod case_fee;
pub mod case_release;
pub mod catalogue;
pub mod commendation;
pub mod contact_reveal;
pub mod correction;
pub mod decision;
pub mod fee;
pub mod inspection;
pub mod letter;
pub mod letter_settings;
pub mod matter;
pub mod media_account;
pub mod media_event;
pub mod oversight;
pub mod proactive_item;
pub mod procurement;
pub mod publishing;
pub mod report_draft;
pub mod review_gate;
pub mod sensitive_word;
pub mod severe_word;
pub mod site;
pub mod site_inspection;
pub mod site_probe;
pub mod site_settings;
pub mod site_visit;
pub mod topic;
pub mod training;
pub mod word_table;

pub use agency::{Agency, AgencyLevel};
pub use appeal::{AppealCase, AppealKind, AppealResult};
pub use application::{Applicant, Application, ApplicationEvent, NewApplication};
pub use decision::{Decision, DecisionKind};
pub use fee::FeeItem;
pub use inspection::Inspection;
pub use letter::MailboxLetter;
pub use matter::Matter;
pub use media_account::MediaAccount;
pub use proactive_item::{DocType, ItemStatus, ProactiveItem, Validity};
pub use procurement::ProcurementProject;
pub use topic::Topic;
pub use training::Training;

/// Rows per multi-row INSERT: under SQLite's 32,766 bound parameters and PostgreSQL's 65,535
/// for the widest batched table.
pub(crate) const BATCH_ROWS: usize = 2000;
