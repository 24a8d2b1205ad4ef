//! Headless Debian Chromium for the browser tests, driven through chromedriver (WebDriver, via
//! fantoccini), with axe-core loaded for accessibility checks. Both browser tests start their
//! browser here so the flags, the tool checks and the axe rule live in one place.
//!
//! Needs `/usr/bin/chromium` (or `GONGKAI_CHROMIUM`), `chromedriver` on the PATH (or
//! `GONGKAI_CHROMEDRIVER`) and `tests/browser/node_modules/axe-core` (scripts/test installs all
//! three). A missing tool fails the test; `GONGKAI_SKIP_BROWSER=1` skips it.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// What a browser step answers.
pub type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Whether the browser tests are switched off (`GONGKAI_SKIP_BROWSER=1`), saying so.
pub fn skipped() -> bool {
    let skip = std::env::var("GONGKAI_SKIP_BROWSER").as_deref() == Ok("1");
    if skip {
        eprintln!("browser test skipped: GONGKAI_SKIP_BROWSER=1");
    }
    skip
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    })
}

/// Kills chromedriver when the test ends, however it ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A WebDriver session in headless Chromium, and axe-core's source to inject into pages.
pub struct Browser {
    /// The session.
    pub client: Client,
    /// axe.min.js.
    pub axe: String,
    _driver: Driver,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a fresh profile.
    pub async fn start() -> Browser {
        let driver_bin = std::env::var_os("GONGKAI_CHROMEDRIVER")
            .map(PathBuf::from)
            .or_else(|| which("chromedriver"))
            .expect("chromedriver is missing: apt-get install chromium chromium-driver (or set GONGKAI_SKIP_BROWSER=1)");
        let chromium =
            std::env::var("GONGKAI_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
        assert!(
            Path::new(&chromium).is_file(),
            "{chromium} is missing: apt-get install chromium"
        );
        let axe_path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/browser/node_modules/axe-core/axe.min.js");
        let axe = std::fs::read_to_string(&axe_path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}: run npm install --prefix tests/browser (or set GONGKAI_SKIP_BROWSER=1)",
                axe_path.display()
            )
        });

        let port = free_port();
        let driver = Driver(
            Command::new(&driver_bin)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("chromedriver starts"),
        );
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "chromedriver did not listen"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let mut caps = serde_json::Map::new();
        // Without the background-networking flags Chromium keeps calling out of this closed
        // network; --no-sandbox because CI runs as root.
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=1280,1000",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session in headless Chromium");
        Browser {
            client,
            axe,
            _driver: driver,
            _profile: profile,
        }
    }
}

/// Runs axe-core on the current page: an error lists every serious or critical violation.
pub async fn axe_check(c: &Client, axe: &str, page: &str) -> Res<()> {
    c.execute(axe, vec![]).await?;
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document, {resultTypes: ['violations']})\
               .then(r => done(r.violations\
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')\
                 .map(v => v.impact + ' ' + v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(' | '))))\
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await?;
    let list = found.as_array().cloned().unwrap_or_default();
    if !list.is_empty() {
        return Err(format!("axe on {page}: {list:?}").into());
    }
    Ok(())
}

/// Types `text` into the field with id `id`, replacing what it held.
pub async fn fill(c: &Client, id: &str, text: &str) -> Res<()> {
    let e = c.find(Locator::Id(id)).await?;
    e.clear().await?;
    e.send_keys(text).await?;
    Ok(())
}

/// Chooses the 目录 fields the drafting form requires: the Art. 20 item (`art20`, its number)
/// and the 主题分类 (`topic`, its name).
pub async fn choose_catalogue(c: &Client, art20: &str, topic: &str) -> Res<()> {
    c.find(Locator::Id("art20"))
        .await?
        .select_by_value(art20)
        .await?;
    c.find(Locator::Id("topic"))
        .await?
        .select_by_value(topic)
        .await?;
    Ok(())
}

/// The password of the accounts the browser tests make.
pub const PASSWORD: &str = "Test-Secret-2026";

/// The text of the first element matching `css`.
pub async fn text_of(c: &Client, css: &str) -> Res<String> {
    Ok(c.find(Locator::Css(css)).await?.text().await?)
}

/// Sets a date field: typing into `<input type="date">` depends on the browser's locale.
pub async fn set_date(c: &Client, id: &str, date: &str) -> Res<()> {
    c.execute(
        "document.getElementById(arguments[0]).value = arguments[1];",
        vec![json!(id), json!(date)],
    )
    .await?;
    Ok(())
}

/// Clicks what loads a new page (a form's submit button, a link) and waits until the new page
/// has replaced the old one, so the next lookup does not find an element of the old page.
pub async fn click_and_wait(c: &Client, css: &str) -> Res<()> {
    c.execute("window.__oldPage = true;", vec![]).await?;
    c.find(Locator::Css(css)).await?.click().await?;
    let start = Instant::now();
    loop {
        let v = c
            .execute(
                "return window.__oldPage === undefined && document.readyState === 'complete';",
                vec![],
            )
            .await;
        if matches!(v, Ok(serde_json::Value::Bool(true))) {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(15) {
            return Err(format!("no new page after clicking {css}").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Signs `name` in on the back office with [`PASSWORD`] and checks who the page says is in.
pub async fn sign_in(c: &Client, base: &str, name: &str) -> Res<()> {
    c.goto(&format!("{base}/admin/login")).await?;
    fill(c, "name", name).await?;
    fill(c, "password", PASSWORD).await?;
    click_and_wait(c, "form[action='/admin/login'] button[type=submit]").await?;
    let me = text_of(c, "#me").await?;
    if me != name {
        return Err(format!("signed in as {me:?}, not {name}").into());
    }
    Ok(())
}

/// Saves a screenshot of the page as `NAME.png` in the folder `GONGKAI_SCREENSHOTS` names, for
/// a person to look at; nothing when it is not set.
pub async fn shot(c: &Client, name: &str) -> Res<()> {
    if let Ok(dir) = std::env::var("GONGKAI_SCREENSHOTS") {
        let file = if name.ends_with(".png") {
            name.to_string()
        } else {
            format!("{name}.png")
        };
        std::fs::write(std::path::Path::new(&dir).join(file), c.screenshot().await?)?;
    }
    Ok(())
}

/// Signs out of the back office.
pub async fn sign_out(c: &Client) -> Res<()> {
    click_and_wait(c, "form[action='/admin/logout'] button[type=submit]").await
}
