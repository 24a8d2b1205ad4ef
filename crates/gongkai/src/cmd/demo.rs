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
    /// How many sites of a 集约化 platform to set up: 1 (the default) keeps the county's
    /// single portal; 2 to 11 add its units as sites of their own, on `*.xiayi.localhost`
    /// (which browsers send to this machine).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=11))]
    pub sites: u8,
}

/// The demo platform's sites after the county: the units that publish most, with their hosts.
const DEMO_SITES: &[(&str, &str)] = &[
    ("夏邑县市场监督管理局", "scjg"),
    ("夏邑县城关镇人民政府", "chengguan"),
    ("夏邑县行政审批服务局", "xzsp"),
    ("夏邑县发展和改革委员会", "fgw"),
    ("夏邑县人力资源和社会保障局", "rsj"),
    ("夏邑县自然资源局", "zrzy"),
    ("夏邑县卫生健康委员会", "wjw"),
    ("夏邑县会亭镇人民政府", "huiting"),
];

/// Registers the county and `n - 1` of its units as sites (idempotent); answers
/// (name, first host) of each.
async fn demo_sites(store: &gongkai_store::Store, n: u8) -> anyhow::Result<Vec<(String, String)>> {
    use gongkai_store::models::{agency, site};
    let mut out = Vec::new();
    if n < 2 {
        return Ok(out);
    }
    let county = super::serve::site_agency(store)
        .await?
        .ok_or_else(|| anyhow::anyhow!("演示数据中没有县级机关"))?;
    let mut wanted = vec![(county.name.clone(), "xiayi.localhost".to_string())];
    for (name, sub) in DEMO_SITES.iter().take(usize::from(n) - 1) {
        wanted.push(((*name).to_string(), format!("{sub}.xiayi.localhost")));
    }
    for (name, host) in wanted {
        let Some(a) = agency::find_by_name(store, &name).await? else {
            continue;
        };
        site::add(store, "demo", a.id, &name, std::slice::from_ref(&host)).await?;
        out.push((name, host));
    }
    Ok(out)
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
        let sites = demo_sites(&store, args.sites).await?;
        store.close().await;
        anyhow::Ok((summary, accounts, sites))
    })?;
    let (summary, accounts, sites) = summary;
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
    if !sites.is_empty() {
        let port = args.listen.rsplit_once(':').map_or("8080", |(_, p)| p);
        println!("集约化平台演示网站 / the demo platform's sites:");
        for (name, host) in &sites {
            println!("  {name}：http://{host}:{port}/");
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
