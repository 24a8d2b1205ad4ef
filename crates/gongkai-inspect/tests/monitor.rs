//! `--monitor` over a fake clock (issue 16, acceptance 3): a week of 20 probes a day against a
//! real server on loopback whose answers fail on chosen probes; a site down on 6 % of the
//! week's probes is vetoed, one down on 4 % is not, and a week short of 20 probes a day is not
//! judged at all.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::StatusCode;
use chrono::{DateTime, TimeZone, Utc};
use gongkai_inspect::monitor::{Clock, Probe, availability, monitor};

/// A clock whose sleep moves time on at once.
struct FakeClock(Mutex<DateTime<Utc>>);

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock")
    }
    fn sleep(&self, d: Duration) -> impl std::future::Future<Output = ()> + Send {
        let mut t = self.0.lock().expect("clock");
        *t += chrono::Duration::from_std(d).expect("duration");
        std::future::ready(())
    }
}

/// Serves a home page that answers 503 to the requests numbered in `down` (0-based).
async fn site(down: HashSet<usize>) -> String {
    let n = Arc::new(AtomicUsize::new(0));
    let app = Router::new().fallback(move || {
        let i = n.fetch_add(1, Ordering::SeqCst);
        let down = down.contains(&i);
        async move {
            if down {
                (StatusCode::SERVICE_UNAVAILABLE, "维护中")
            } else {
                (StatusCode::OK, "<html><body>首页</body></html>")
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}/")
}

async fn week(
    failures: usize,
    per_day: u32,
) -> (Vec<Probe>, gongkai_inspect::monitor::Availability) {
    // Failures spread over the week, one every so many probes.
    let total = 7 * per_day as usize;
    let down: HashSet<usize> = (0..failures)
        .map(|k| k * total / failures.max(1) + 3)
        .collect();
    let url = site(down).await;
    // Midnight in Beijing on 2020-12-24.
    let start = Utc
        .with_ymd_and_hms(2020, 12, 23, 16, 0, 0)
        .single()
        .expect("start");
    let clock = FakeClock(Mutex::new(start));
    let mut recorded = Vec::new();
    let probes = monitor(&url, &clock, 7, per_day, Duration::from_secs(15), |p| {
        recorded.push(p.clone())
    })
    .await
    .expect("monitor");
    assert_eq!(recorded, probes, "every probe reaches the sink");
    let last_day = chrono::NaiveDate::from_ymd_opt(2020, 12, 30).expect("day");
    let a = availability(&probes, last_day);
    (probes, a)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn six_per_cent_down_is_vetoed_four_is_not() {
    // 140 probes: 9 down is 6.4 %, 6 down is 4.3 %.
    let (probes, a) = week(9, 20).await;
    assert_eq!(probes.len(), 140);
    assert!(a.complete, "{a:?}");
    assert_eq!((a.sent, a.failed), (140, 9));
    assert!(a.days.iter().all(|d| d.sent == 20), "{a:?}");
    assert!(a.veto, "{:.1} %", a.percent());

    let (_, a) = week(6, 20).await;
    assert_eq!((a.sent, a.failed), (140, 6));
    assert!(!a.veto, "{:.1} %", a.percent());

    // Exactly 5 % (7 of 140) is vetoed: 「累计超过（含）5%」.
    let (_, a) = week(7, 20).await;
    assert!(a.veto, "{:.1} %", a.percent());

    // 19 probes a day is not the measurement the text asks for: not judged.
    let (_, a) = week(12, 19).await;
    assert!(!a.complete && !a.veto, "{a:?}");
}
