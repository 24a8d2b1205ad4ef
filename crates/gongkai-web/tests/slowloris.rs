//! Acceptance 4 of issue 12: a few hundred half-open connections from one address leave
//! normal requests answered under 100 ms; connections over the per-address cap are closed at
//! once and half-open ones after the header-read timeout.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::fixture;
use gongkai_web::server::{ConnLimits, serve_with_limits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

async fn connect_from(local: &str, server: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{local}:0").parse().unwrap()).unwrap();
    socket.connect(server).await.unwrap()
}

/// One GET /healthz on a fresh connection: the status line and the time it took.
async fn healthz(server: SocketAddr) -> (String, Duration) {
    let started = Instant::now();
    let mut s = connect_from("127.0.0.1", server).await;
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8_lossy(&buf);
    (
        text.lines().next().unwrap_or("").to_string(),
        started.elapsed(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_open_connections_do_not_hold_the_server() {
    let fx = fixture().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let limits = ConnLimits {
        header_read_timeout: Duration::from_secs(2),
        per_address: 64,
        shutdown_grace: Duration::from_secs(1),
    };
    let app = gongkai_web::router(fx.state.clone());
    let task = tokio::spawn(serve_with_limits(listener, app, limits, async {
        let _ = stopped.await;
    }));
    // 300 connections from 127.0.0.2, each sending half a request and then nothing.
    let mut held = Vec::new();
    for _ in 0..300 {
        let mut s = connect_from("127.0.0.2", server).await;
        let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ").await;
        held.push(s);
    }
    // Normal requests from another address are answered at once.
    let mut worst = Duration::ZERO;
    for _ in 0..20 {
        let (status, took) = healthz(server).await;
        assert!(status.contains("200"), "{status}");
        worst = worst.max(took);
    }
    assert!(
        worst < Duration::from_millis(100),
        "slowest /healthz {worst:?}"
    );
    // Over the cap, the server closed the attacker's connections at once.
    let mut closed = 0;
    for s in held.iter_mut().skip(64) {
        let mut b = [0u8; 1];
        // Closed: end of stream, or reset.
        if matches!(
            tokio::time::timeout(Duration::from_millis(200), s.read(&mut b)).await,
            Ok(Ok(0) | Err(_))
        ) {
            closed += 1;
        }
    }
    assert_eq!(closed, 300 - 64);
    // The 64 it kept are closed after the header-read timeout.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let mut b = [0u8; 512];
    let mut ended = 0;
    for s in held.iter_mut().take(64) {
        // A 408 answer or the end of the stream: either way the server let go.
        if tokio::time::timeout(Duration::from_millis(200), s.read(&mut b))
            .await
            .is_ok()
        {
            ended += 1;
        }
    }
    assert_eq!(
        ended, 64,
        "half-open connections outlived the header-read timeout"
    );
    let (status, _) = healthz(server).await;
    assert!(status.contains("200"));
    drop(stop);
    task.await.unwrap().unwrap();
    fx.cleanup().await;
}
