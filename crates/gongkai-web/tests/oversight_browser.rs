//! The superior office's workbench in headless Chromium against the real server (issue 15,
//! acceptance 3 and 5): the 上级政务公开办 imports a .zip of ten reports for 2023 and the same
//! ten units for 2024 through the upload form, sees the ranking with its terms, opens one
//! unit's comparison with last year, dismisses a finding with a note, imports the 2024 .zip
//! again and the dismissal holds; the 通报 links answer with XLSX and DOCX, and LibreOffice
//! opens both with every figure they hold (scripts/check-office-output.sh). axe-core finds no
//! serious or critical violation on the workbench, the import result and the unit's page.
//!
//! Needs `/usr/bin/chromium` and `chromedriver` (scripts/test installs them) and axe-core.
//! `GONGKAI_SKIP_BROWSER=1` skips it. `GONGKAI_SCREENSHOTS=DIR` keeps a PNG of each page.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser_support;
mod common;

use std::io::Write;
use std::path::Path;

use fantoccini::{Client, Locator};
use gongkai_law::Table3Row;
use gongkai_report::Report;
use gongkai_store::auth::{self, NewUser, Role};
use gongkai_store::models::agency::AgencyLevel;
use gongkai_store::models::oversight::{self, NewUnit};

use browser_support::{Browser, PASSWORD, Res, axe_check, click_and_wait, shot, sign_in};

const UNITS: [&str; 10] = [
    "测试县财政局",
    "测试县公安局",
    "测试县民政局",
    "测试县卫生健康委员会",
    "测试县自然资源局",
    "测试县市场监督管理局",
    "测试县住房和城乡建设局",
    "测试县交通运输局",
    "测试县水利局",
    "测试县农业农村局",
];

/// Ten units' reports of `year` from the real reports' tables, as one .zip; unit 2's 2024
/// report carries in 7 where its 2023 report carried out 0 (X-CARRY).
fn zip_of_year(dir: &Path, year: i32) -> String {
    let expected = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reports/expected");
    let mut names: Vec<_> = std::fs::read_dir(&expected)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let real: Vec<Report> = names
        .iter()
        .map(|p| Report::from_json(&std::fs::read_to_string(p).unwrap()).unwrap())
        .filter(|r| r.format == gongkai_law::ReportFormat::Current2021)
        .collect();
    let path = dir.join(format!("reports-{year}.zip"));
    let mut w = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for (i, unit) in UNITS.iter().enumerate() {
        let mut r = real[i % real.len()].clone();
        r.agency = (*unit).to_string();
        r.year = year;
        if i == 2 {
            let c = if year == 2024 { 7 } else { 0 };
            r.requests.insert(
                Table3Row::CarriedIn,
                [
                    Some(c),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(c),
                ],
            );
            r.requests.insert(Table3Row::CarriedOut, [Some(0); 7]);
        }
        w.start_file(
            format!("{unit}.txt"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.write_all(gongkai_report::render::text(&r).as_bytes())
            .unwrap();
    }
    w.finish().unwrap();
    path.display().to_string()
}

async fn import(c: &Client, base: &str, year: i32, zip: &str) -> Res<String> {
    c.goto(&format!("{base}/admin/oversight?year={year}"))
        .await?;
    c.find(Locator::Id("files")).await?.send_keys(zip).await?;
    click_and_wait(c, "#import").await?;
    Ok(c.find(Locator::Css("main")).await?.text().await?)
}

async fn steps(
    c: &Client,
    base: &str,
    axe: &str,
    (z2023, z2024): (&str, &str),
    out: &Path,
) -> Res<()> {
    sign_in(c, base, "shangji").await?;
    // The dashboard's menu leads to the workbench.
    click_and_wait(c, "main a[href='/admin/oversight']").await?;
    axe_check(c, axe, "/admin/oversight").await?;

    let r = import(c, base, 2023, z2023).await?;
    assert_eq!(r.matches("已导入").count(), 10, "{r}");
    axe_check(c, axe, "import result").await?;
    shot(c, "oversight-import").await?;
    let r = import(c, base, 2024, z2024).await?;
    assert_eq!(r.matches("已导入").count(), 10, "{r}");

    // The ranking with its terms.
    c.goto(&format!("{base}/admin/oversight?year=2024")).await?;
    let ranking = c.find(Locator::Id("ranking")).await?.text().await?;
    assert!(
        ranking.contains("计分说明") && ranking.contains("同比异常 2×3=6"),
        "{ranking}"
    );
    for u in UNITS {
        assert!(ranking.contains(u), "{u}");
    }
    axe_check(c, axe, "/admin/oversight?year=2024").await?;
    shot(c, "oversight-2024").await?;

    // One unit's comparison.
    let link = c
        .find(Locator::XPath(&format!(
            "//table[@id='ranking']//a[text()='{}']",
            UNITS[2]
        )))
        .await?;
    let href = link.attr("href").await?.unwrap_or_default();
    click_and_wait(c, &format!("#ranking a[href='{href}']")).await?;
    let main = c.find(Locator::Css("main")).await?.text().await?;
    assert!(
        main.contains("与2023年度对比") && main.contains("X-CARRY"),
        "{main}"
    );
    assert!(c.find(Locator::Id("changes")).await.is_ok());
    axe_check(c, axe, "unit page").await?;
    shot(c, "oversight-unit").await?;

    // Dismiss the X-CARRY finding with a note.
    let note = "该单位已说明：上年度结转数据有误，已更正";
    let form = c
        .find(Locator::XPath(
            "//input[@name='key' and starts-with(@value,'X-CARRY')]/ancestor::form",
        ))
        .await?;
    form.find(Locator::Css("input[value='dismissed']"))
        .await?
        .click()
        .await?;
    form.find(Locator::Css("textarea"))
        .await?
        .send_keys(note)
        .await?;
    c.execute("window.__oldPage = true;", vec![]).await?;
    form.find(Locator::Css("button")).await?.click().await?;
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let main = c.find(Locator::Css("main")).await?.text().await?;
    assert!(main.contains(&format!("已排除：{note}")), "{main}");

    // The same .zip again: the dismissal holds.
    let r = import(c, base, 2024, z2024).await?;
    assert_eq!(r.matches("表格未变，原有判定保留").count(), 10, "{r}");
    c.goto(&format!("{base}{href}")).await?;
    let main = c.find(Locator::Css("main")).await?.text().await?;
    assert!(main.contains(&format!("已排除：{note}")), "{main}");

    // The 通报 links answer with the two office files.
    c.goto(&format!("{base}/admin/oversight?year=2024")).await?;
    let mut exported = Vec::new();
    for (id, kind) in [
        ("export-xlsx", "spreadsheetml"),
        ("export-docx", "wordprocessingml"),
    ] {
        let href = c
            .find(Locator::Id(id))
            .await?
            .attr("href")
            .await?
            .unwrap_or_default();
        let ct = c
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 fetch(arguments[0]).then(r => done(r.status + ' ' + r.headers.get('content-type')));",
                vec![serde_json::json!(href)],
            )
            .await?;
        let ct = ct.as_str().unwrap_or_default().to_string();
        assert!(ct.starts_with("200 ") && ct.contains(kind), "{id}: {ct}");
        // The file itself, as the browser downloads it (hex over the WebDriver wire).
        let hex = c
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => done(\
                   Array.from(new Uint8Array(b), x => x.toString(16).padStart(2, '0')).join('')));",
                vec![serde_json::json!(href)],
            )
            .await?;
        let bytes = hex::decode(hex.as_str().unwrap_or_default())?;
        let ext = if id == "export-xlsx" { "xlsx" } else { "docx" };
        let path = out.join(format!("tongbao.{ext}"));
        std::fs::write(&path, bytes)?;
        exported.push(path);
    }
    // LibreOffice opens both and shows every figure they hold (skipped, with a note, where
    // LibreOffice is not installed).
    let check = std::process::Command::new("bash")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/check-office-output.sh"))
        .arg("--office")
        .args(&exported)
        .output()?;
    let said = String::from_utf8_lossy(&check.stdout).into_owned()
        + &String::from_utf8_lossy(&check.stderr);
    eprintln!("{said}");
    assert!(check.status.success(), "{said}");
    if let Ok(dir) = std::env::var("GONGKAI_SCREENSHOTS") {
        for p in &exported {
            std::fs::copy(p, Path::new(&dir).join(p.file_name().unwrap_or_default()))?;
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversight_workbench_in_headless_chromium() {
    if browser_support::skipped() {
        return;
    }
    let fx = common::fixture().await;
    let store = &fx.state.store;
    auth::create_user(
        store,
        "cli",
        &NewUser {
            name: "shangji".into(),
            role: Role::Superior,
            agency_id: Some(fx.county),
        },
        PASSWORD,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    for u in UNITS {
        oversight::register_unit(
            store,
            "shangji",
            fx.county,
            &NewUnit {
                name: u,
                level: AgencyLevel::Department,
                parent_name: None,
                summary: false,
            },
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    }
    let z2023 = zip_of_year(fx.dir.path(), 2023);
    let z2024 = zip_of_year(fx.dir.path(), 2024);
    let server = common::spawn(fx.state.clone()).await;
    let base = format!("http://{}", server.addr);
    let browser = Browser::start().await;
    let outcome = steps(
        &browser.client,
        &base,
        &browser.axe,
        (&z2023, &z2024),
        fx.dir.path(),
    )
    .await;
    let _ = browser.client.clone().close().await;
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
