//! `gongkai import ledger` as a user runs it: exit codes, messages naming the row, idempotence,
//! and crash safety (kill -9 in the middle of a 100,000-row import leaves an intact database
//! without any of that import's rows).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn gongkai(data_dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    c.arg("--data-dir")
        .arg(data_dir)
        .env_remove("GONGKAI_DB")
        .env_remove("GONGKAI_KEY");
    c
}

const HEADER: &str = "申请编号,收到日期,申请方式,申请人,申请人类型,申请内容,答复日期,办理结果\n";

#[test]
fn bad_row_exits_2_and_names_it_then_imports_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("台账.csv");
    std::fs::write(
        &csv,
        format!("{HEADER}L-1,2024-02-01,当面,王某,自然人,某信息,2024-02-20,予以公开\nL-2,2024-02-02,当面,李某,外星人,某信息,,\n"),
    )
    .expect("write");
    let out = gongkai(dir.path())
        .args(["import", "ledger"])
        .arg(&csv)
        .args(["--agency", "命令行测试县"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("第3行") && err.contains("申请人类型") && err.contains("外星人"),
        "{err}"
    );

    std::fs::write(
        &csv,
        format!("{HEADER}L-1,2024-02-01,当面,王某,自然人,某信息,2024-02-20,予以公开\n"),
    )
    .expect("write");
    for expected in ["已导入 1 条", "已导入 0 条"] {
        let out = gongkai(dir.path())
            .args(["import", "ledger"])
            .arg(&csv)
            .args(["--agency", "命令行测试县"])
            .output()
            .expect("run");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains(expected));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_a_big_import_keeps_the_database_intact() {
    let dir = tempfile::tempdir().expect("tempdir");
    let small = dir.path().join("before.csv");
    std::fs::write(
        &small,
        format!("{HEADER}BEFORE-1,2023-01-03,当面,王某,自然人,某信息,2023-01-20,予以公开\n"),
    )
    .expect("write");
    let status = gongkai(dir.path())
        .args(["import", "ledger"])
        .arg(&small)
        .args(["--agency", "崩溃测试县"])
        .stdout(Stdio::null())
        .status()
        .expect("run");
    assert!(status.success());

    let big = dir.path().join("big.csv");
    let mut text = String::from(HEADER);
    for i in 1..=100_000u32 {
        let (m, d) = (1 + i % 12, 1 + i % 28);
        text.push_str(&format!("CRASH-{i:06},2023-{m:02}-{d:02},当面,申请人{i},自然人,某信息,2023-{m:02}-{d:02},予以公开\n"));
    }
    std::fs::write(&big, text).expect("write");
    let mut child = gongkai(dir.path())
        .args(["import", "ledger"])
        .arg(&big)
        .args(["--agency", "崩溃测试县"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let wal = dir.path().join("gongkai.db-wal");
    let started = Instant::now();
    loop {
        let size = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        if size > 2_000_000 {
            break;
        }
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the import finished before it could be killed"
        );
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the import never started writing"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill -9");
    child.wait().expect("reap");

    let url = format!("sqlite://{}", dir.path().join("gongkai.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.expect("open");
    let check: (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .expect("check");
    assert_eq!(check.0, "ok");
    let crashed: (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM applications WHERE tracking_no LIKE 'CRASH-%'")
            .fetch_one(&pool)
            .await
            .expect("count");
    assert_eq!(crashed.0, 0);
    let before: (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM applications WHERE tracking_no = 'BEFORE-1'")
            .fetch_one(&pool)
            .await
            .expect("count");
    assert_eq!(before.0, 1);
}
