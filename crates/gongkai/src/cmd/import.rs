//! `gongkai import`: bring records in from the files agencies keep.

use super::{Global, db};
use std::process::ExitCode;

use gongkai_law::catalogue::Domain;
use gongkai_store::catalogue_import::{CatalogueImportError, CatalogueOptions, import_catalogue};
use gongkai_store::{LedgerOptions, StoreError};

/// Subcommands of `gongkai import`.
#[derive(Debug, clap::Subcommand)]
pub enum ImportCommand {
    /// Import an application ledger (依申请公开台账), .xlsx or .csv. Nothing is imported unless
    /// every row is good; rows already imported (same agency and 申请编号) are skipped.
    Ledger {
        /// The ledger file.
        file: std::path::PathBuf,
        /// Database: sqlite://PATH or postgres://… (default: sqlite://<data-dir>/gongkai.db).
        #[arg(long, env = "GONGKAI_DB")]
        db: Option<String>,
        /// The agency the ledger belongs to (id or name).
        #[arg(long)]
        agency: Option<String>,
        /// Only check the file and report; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Import a 基层政务公开标准目录 table (.xlsx) as counties publish it. Nothing is imported
    /// unless every row is good; entries already present (same domain and 公开事项) are skipped.
    Catalogue {
        /// The .xlsx file.
        file: std::path::PathBuf,
        /// Database: sqlite://PATH or postgres://… (default: sqlite://<data-dir>/gongkai.db).
        #[arg(long, env = "GONGKAI_DB")]
        db: Option<String>,
        /// The agency whose catalogue it is (id or name).
        #[arg(long)]
        agency: Option<String>,
        /// The domain (e.g. 社会救助) of sheets that name none in a 领域 column, their name or title.
        #[arg(long)]
        domain: Option<String>,
        /// Only check the file and report; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Runs `gongkai import`. Exit codes: 0 imported (or a clean dry run); 1 a dry run found bad
/// rows; 2 bad rows (nothing imported) or an unreadable file.
pub fn run(global: &Global, c: ImportCommand) -> anyhow::Result<ExitCode> {
    let (file, db_url, agency, dry_run) = match c {
        ImportCommand::Ledger {
            file,
            db,
            agency,
            dry_run,
        } => (file, db, agency, dry_run),
        ImportCommand::Catalogue {
            file,
            db,
            agency,
            domain,
            dry_run,
        } => return run_catalogue(global, file, db, agency, domain, dry_run),
    };
    let rt = db::runtime()?;
    let result = rt.block_on(async {
        let store = db::open(global, db_url.as_deref()).await?;
        let bars = super::demo::Bars::new();
        let opts = LedgerOptions {
            agency,
            dry_run,
            actor: "import".into(),
        };
        let r = gongkai_store::import_ledger(&store, &file, &opts, &|p| bars.update(p)).await;
        store.close().await;
        anyhow::Ok(r)
    })?;
    match result {
        Ok(o) if o.dry_run => {
            println!(
                "{}：{} 行均可导入，其中 {} 行此前已导入（试运行，未写入）/ {} rows good, {} already present (dry run)",
                file.display(),
                o.rows,
                o.already_present,
                o.rows,
                o.already_present
            );
            Ok(ExitCode::SUCCESS)
        }
        Ok(o) => {
            println!(
                "{}：已导入 {} 条，跳过已存在 {} 条（{}）/ imported {}, skipped {} already present",
                file.display(),
                o.imported,
                o.already_present,
                o.agency,
                o.imported,
                o.already_present
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(StoreError::Ledger(e)) => {
            eprintln!("{e}");
            Ok(ExitCode::from(if dry_run { 1 } else { 2 }))
        }
        Err(e) => Err(e.into()),
    }
}

/// Runs `gongkai import catalogue`, with the exit codes of [`run`].
fn run_catalogue(
    global: &Global,
    file: std::path::PathBuf,
    db_url: Option<String>,
    agency: Option<String>,
    domain: Option<String>,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let domain = match domain.as_deref().map(|d| (d, Domain::parse(d))) {
        None => None,
        Some((_, Some(d))) => Some(d),
        Some((d, None)) => {
            eprintln!("「{d}」不是26个标准目录领域之一 / unknown domain");
            return Ok(ExitCode::from(2));
        }
    };
    let rt = db::runtime()?;
    let result = rt.block_on(async {
        let store = db::open(global, db_url.as_deref()).await?;
        let opts = CatalogueOptions {
            agency,
            domain,
            dry_run,
            actor: "import".into(),
        };
        let r = import_catalogue(&store, &file, &opts).await;
        store.close().await;
        anyhow::Ok(r)
    })?;
    match result {
        Ok(o) if o.dry_run => {
            println!(
                "{}：{} 项均可导入，其中 {} 项此前已导入（试运行，未写入）/ {} rows good, {} already present (dry run)",
                file.display(),
                o.rows,
                o.already_present,
                o.rows,
                o.already_present
            );
            Ok(ExitCode::SUCCESS)
        }
        Ok(o) => {
            println!(
                "{}：已导入标准目录 {} 项，跳过已存在 {} 项（{}）/ imported {}, skipped {} already present",
                file.display(),
                o.imported,
                o.already_present,
                o.agency,
                o.imported,
                o.already_present
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(CatalogueImportError::Rows(e)) => {
            eprintln!("{e}");
            Ok(ExitCode::from(if dry_run { 1 } else { 2 }))
        }
        Err(CatalogueImportError::Store(e)) => Err(e.into()),
    }
}
