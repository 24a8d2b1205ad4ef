//! The HTTP server loop: hyper's HTTP/1.1 connection with a header-read timeout (which also
//! ends a kept-alive connection that sends nothing), and a cap on open connections per client
//! address, so a few hundred half-open connections (slowloris) from one address neither hold
//! the server's sockets nor keep anyone else waiting.
//!
//! The one place that decides a request's client address ([`ClientAddr`]): the peer of the
//! connection, unless the peer is one of the configured proxies ([`TrustedProxies`], e.g. the
//! nginx in front), in which case it is the right-most address of `X-Forwarded-For` that is not
//! itself a trusted proxy. A header from anyone else is ignored, so nobody escapes a
//! per-address limit by sending a forged one. Connections from a trusted proxy are not capped
//! per address (they carry many clients).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tower::ServiceExt;

/// Limits of the connection layer.
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    /// A request's headers must arrive within this; an idle kept-alive connection is closed
    /// after it too.
    pub header_read_timeout: Duration,
    /// Open connections allowed per client address; more are closed at once.
    pub per_address: usize,
    /// How long requests in flight may take to finish at shutdown.
    pub shutdown_grace: Duration,
}

impl Default for ConnLimits {
    fn default() -> Self {
        ConnLimits {
            header_read_timeout: Duration::from_secs(10),
            per_address: 64,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// The proxies whose `X-Forwarded-For` is believed (none by default).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(pub Arc<[IpAddr]>);

impl TrustedProxies {
    /// Parses a comma-separated list of addresses (`127.0.0.1, ::1`).
    pub fn parse(list: &str) -> Result<TrustedProxies, std::net::AddrParseError> {
        let ips = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::parse)
            .collect::<Result<Vec<IpAddr>, _>>()?;
        Ok(TrustedProxies(ips.into()))
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.contains(&ip)
    }

    /// The client address of a request that came from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &hyper::HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let mut hops: Vec<&str> = Vec::new();
        for v in headers.get_all("x-forwarded-for") {
            match v.to_str() {
                Ok(v) => hops.extend(v.split(',').map(str::trim)),
                Err(_) => return peer,
            }
        }
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop.parse::<IpAddr>() {
                Ok(ip) if self.trusts(ip) => client = ip,
                Ok(ip) => return ip,
                // Garbage: the last hop we trust is as far as we can know.
                Err(_) => return client,
            }
        }
        client
    }
}

/// The client address of a request, as decided by the server loop (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// Open connections per address; a [`Slot`] gives its place back when dropped.
#[derive(Default)]
struct Open(Mutex<HashMap<IpAddr, usize>>);

struct Slot {
    open: Arc<Open>,
    ip: IpAddr,
}

impl Open {
    fn take(self: &Arc<Self>, ip: IpAddr, cap: usize) -> Option<Slot> {
        let mut map = self.0.lock().ok()?;
        let n = map.entry(ip).or_insert(0);
        if *n >= cap {
            return None;
        }
        *n += 1;
        Some(Slot {
            open: Arc::clone(self),
            ip,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut map) = self.open.0.lock()
            && let Some(n) = map.get_mut(&self.ip)
        {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.ip);
            }
        }
    }
}

/// Serves `app` on `listener` under `limits` until `shutdown` completes, then lets requests in
/// flight finish (up to the grace period). Handlers see the peer as `ConnectInfo<SocketAddr>`.
pub async fn serve_with_limits(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: ConnLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_behind(listener, app, limits, TrustedProxies::default(), shutdown).await
}

/// [`serve_with_limits`] behind the proxies `proxies`: their connections are not capped per
/// address and their `X-Forwarded-For` names the client ([`ClientAddr`]).
pub async fn serve_behind(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: ConnLimits,
    proxies: TrustedProxies,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let open = Arc::new(Open::default());
    let graceful = GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of descriptors and the like: wait a moment rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let cap = if proxies.trusts(peer.ip()) {
            usize::MAX
        } else {
            limits.per_address
        };
        let Some(slot) = open.take(peer.ip(), cap) else {
            drop(stream);
            continue;
        };
        let proxies = proxies.clone();
        let _ = stream.set_nodelay(true);
        let svc = app
            .clone()
            .map_request(move |mut req: hyper::Request<Incoming>| {
                let client = proxies.client(peer.ip(), req.headers());
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                req.extensions_mut().insert(ClientAddr(client));
                req
            });
        let conn = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(svc));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(slot);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(limits.shutdown_grace, graceful.shutdown()).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let p = TrustedProxies::parse("127.0.0.1, 10.0.0.2").unwrap();
        let mut h = hyper::HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "1.1.1.1, 2.2.2.2, 10.0.0.2".parse().unwrap(),
        );
        let nginx: IpAddr = "127.0.0.1".parse().unwrap();
        let stranger: IpAddr = "3.3.3.3".parse().unwrap();
        assert_eq!(p.client(nginx, &h), "2.2.2.2".parse::<IpAddr>().unwrap());
        assert_eq!(p.client(stranger, &h), stranger);
        assert_eq!(TrustedProxies::default().client(nginx, &h), nginx);
        h.insert("x-forwarded-for", "garbage".parse().unwrap());
        assert_eq!(p.client(nginx, &h), nginx);
    }
}
