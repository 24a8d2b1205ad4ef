//! `gongkai demo` as a user runs it: loads once, a second run adds nothing, and without
//! `--load-only` it goes on to serve the portal.

use std::process::Command;

fn gongkai(data_dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    c.arg("--data-dir")
        .arg(data_dir)
        .env_remove("GONGKAI_DB")
        .env_remove("GONGKAI_KEY");
    c
}

#[test]
fn demo_loads_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = gongkai(dir.path())
        .args(["demo", "--load-only"])
        .output()
        .expect("run");
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(out.contains("演示数据已载入"), "{out}");
    // One back-office account per role, its password printed once.
    for role in [
        "editor",
        "reviewer",
        "handler",
        "head",
        "superior",
        "audit_admin",
    ] {
        assert!(out.contains(&format!("demo_{role}（")), "{role}: {out}");
    }
    assert!(out.contains("demo_head（负责人）密码："), "{out}");
    assert!(dir.path().join("gongkai.db").exists());
    assert!(dir.path().join("secret.key").exists());

    let second = gongkai(dir.path())
        .args(["demo", "--load-only"])
        .output()
        .expect("run");
    assert_eq!(second.status.code(), Some(0));
    let out = String::from_utf8_lossy(&second.stdout);
    assert!(out.contains("未新增记录"), "{out}");
    assert!(out.contains("demo_head（负责人）已存在"), "{out}");
    assert!(
        !out.contains("密码："),
        "a password is printed only when it is made: {out}"
    );
}

/// Without `--load-only` the demo goes on to serve the portal: `/healthz` answers 200.
#[test]
fn demo_then_serves() {
    use std::io::{Read, Write};
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().expect("tempdir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let mut child = gongkai(dir.path())
        .args(["demo", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    let mut answer = String::new();
    while started.elapsed() < Duration::from_secs(120) {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let _ = s.write_all(
                b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            );
            let _ = s.read_to_string(&mut answer);
            if answer.starts_with("HTTP/1.1 200") {
                break;
            }
        }
        assert!(
            child.try_wait().expect("wait").is_none(),
            "demo exited instead of serving"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
