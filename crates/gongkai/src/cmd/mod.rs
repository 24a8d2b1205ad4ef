//! The subcommands. Each module owns its arguments and its `run`.

pub mod calendar;
pub mod cases;
pub mod db;
pub mod deadline;
pub mod demo;
pub mod import;
pub mod inspect;
pub mod report;
pub mod serve;
pub mod site;
pub mod site_report;
pub mod user;

use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Options every subcommand understands.
#[derive(Debug, Args)]
pub struct Global {
    /// Data directory: the SQLite database, the encryption key, loaded calendar years.
    #[arg(long, global = true, env = "GONGKAI_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
}

/// What `gongkai` can do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Annual reports: parse, check, render, aggregate (年度报告).
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Compute the legal reply deadline of an application and show its trail (答复期限).
    Deadline(deadline::Args),
    /// The working-day calendar: show or load a year's State Council arrangement (节假日安排).
    #[command(subcommand)]
    Calendar(calendar::CalendarCommand),
    /// Load the demo data set (the seed county as records), then serve the portal.
    Demo(demo::Args),
    /// Import records from agencies' files (台账导入).
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Inspect a website as 国办秘函〔2019〕19号 asks (网上巡查): exit 0 合格, 1 单项否决.
    Inspect(inspect::Args),
    /// Serve the portal, the JSON API and the back office (门户网站).
    Serve(serve::Args),
    /// The 政府网站工作年度报表 of a year (国办函〔2018〕12号) as DOCX, XLSX or HTML.
    SiteReport(site_report::Args),
    /// The sites of a 集约化 platform: add, list (网站).
    #[command(subcommand)]
    Site(site::SiteCommand),
    /// Applications: conclude those whose 补正 or payment period passed (自动结案).
    #[command(subcommand)]
    Cases(cases::CasesCommand),
    /// Accounts of the back office: add, reset a password, disable, enable, list (后台用户).
    #[command(subcommand)]
    User(user::UserCommand),
}

/// Runs one subcommand.
pub fn run(global: Global, command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Report(c) => report::run(&global, c),
        Command::Deadline(a) => deadline::run(&global, a),
        Command::Calendar(c) => calendar::run(&global, c),
        Command::Demo(a) => demo::run(&global, a),
        Command::Import(c) => import::run(&global, c),
        Command::Inspect(a) => inspect::run(&global, a),
        Command::Serve(a) => serve::run(&global, a),
        Command::SiteReport(a) => site_report::run(&global, a),
        Command::Site(c) => site::run(&global, c),
        Command::User(c) => user::run(&global, c),
        Command::Cases(c) => cases::run(&global, c),
    }
}
