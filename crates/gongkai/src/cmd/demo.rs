//! `gongkai demo`: load the demo data set (the seed county as records), then serve.

use super::{Global, db};
use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Mutex;

use gongkai_store::Progress;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

/// Arguments of `gongkai demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only load the data set; do not start the portal.
    #[arg(long)]
    pub load_only: bool,
    /// Database: sqlite://PATH or postgres://… (default: sqlite://<data-dir>/gongkai.db).
    #[arg(long, env = "GONGKAI_DB")]
    pub db: Option<String>,
    /// Address the portal will listen on.
    #[arg(long, env = "GONGKAI_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
}

/// One progress bar per stage of a long operation.
pub struct Bars {
    multi: MultiProgress,
    bars: Mutex<HashMap<String, ProgressBar>>,
}

impl Bars {
    /// Bars drawn on stderr (hidden when it is not a terminal).
    pub fn new() -> Bars {
        Bars {
            multi: MultiProgress::new(),
            bars: Mutex::new(HashMap::new()),
        }
    }

    /// Moves the bar of `p.stage`, creating it on first use.
    pub fn update(&self, p: &Progress) {
        let Ok(mut bars) = self.bars.lock() else {
            return;
        };
        let bar = bars.entry(p.stage.clone()).or_insert_with(|| {
            let bar = self.multi.add(ProgressBar::new(p.total));
            if let Ok(style) = ProgressStyle::with_template(
                "{prefix:>10} [{bar:40}] {pos:>7}/{len:7} {elapsed_precise}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_prefix(p.stage.clone());
            bar
        });
        bar.set_length(p.total);
        bar.set_position(p.done);
        if p.done >= p.total {
            bar.finish();
        }
    }
}

impl Default for Bars {
    fn default() -> Self {
        Bars::new()
    }
}

/// Runs `gongkai demo`.
pub fn run(global: &Global, args: Args) -> anyhow::Result<ExitCode> {
    let rt = db::runtime()?;
    let summary = rt.block_on(async {
        let store = db::open(global, args.db.as_deref()).await?;
        let bars = Bars::new();
        let summary = gongkai_store::load_demo(&store, &|p| bars.update(p)).await?;
        let accounts = demo_accounts(&store).await?;
        store.close().await;
        anyhow::Ok((summary, accounts))
    })?;
    let (summary, accounts) = summary;
    if summary.added == 0 {
        println!(
            "演示数据此前已载入，本次未新增记录 / the demo data set was already loaded; nothing added ({:.1} s)",
            summary.elapsed.as_secs_f64()
        );
    } else {
        println!(
            "演示数据已载入：新增 {} 条记录，用时 {:.1} 秒 / demo data set loaded: {} records in {:.1} s",
            summary.added,
            summary.elapsed.as_secs_f64(),
            summary.added,
            summary.elapsed.as_secs_f64()
        );
    }
    println!("演示账号 / demo accounts of the back office (/admin):");
    for (name, label, password) in &accounts {
        match password {
            Some(p) => println!("  {name}（{label}）密码：{p}"),
            None => {
                println!("  {name}（{label}）已存在；忘记密码可用 gongkai user passwd {name} 重设")
            }
        }
    }
    if !args.load_only {
        println!(
            "门户网站启动中：http://{} / starting the portal (Ctrl-C to stop)",
            args.listen
        );
        let url = db::url(global, args.db.as_deref());
        super::serve::block_on_serve(&global.data_dir, &url, &args.listen)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One back-office account per role for the demo county, created once with a random password
/// that is printed only then (only its argon2id hash is stored). Answers (name, role label,
/// the new password or `None` when the account existed already).
async fn demo_accounts(
    store: &gongkai_store::Store,
) -> anyhow::Result<Vec<(String, &'static str, Option<String>)>> {
    use gongkai_store::auth::{self, NewUser, Role};
    let county =
        gongkai_store::models::agency::resolve(store, gongkai_store::demo::DEMO_COUNTY).await?;
    let mut out = Vec::new();
    for role in Role::ALL {
        let name = format!("demo_{}", role.key());
        if auth::find_user(store, &name).await?.is_some() {
            out.push((name, role.label(), None));
            continue;
        }
        let password = demo_password();
        let new = NewUser {
            name: name.clone(),
            role,
            agency_id: Some(county.id),
        };
        auth::create_user(store, "gongkai demo", &new, &password, chrono::Utc::now()).await?;
        out.push((name, role.label(), Some(password)));
    }
    Ok(out)
}

/// A random password that meets the policy (lower, upper, digits; 16 characters).
fn demo_password() -> String {
    use rand::Rng;
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGIT: &[u8] = b"23456789";
    let mut rng = rand::rng();
    let mut pick = |set: &[u8]| char::from(set[rng.random_range(0..set.len())]);
    let mut p = String::with_capacity(16);
    for i in 0..16 {
        p.push(match i % 3 {
            0 => pick(LOWER),
            1 => pick(UPPER),
            _ => pick(DIGIT),
        });
    }
    p
}
