//! The client's address as a handler extractor, for the per-address limits of the portal, the
//! API and the back office's sign-in.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

/// The client's address as the server loop decided it ([`crate::server::ClientAddr`]: the
/// connection's peer, or what a configured proxy forwarded; a forged `X-Forwarded-For` from
/// anyone else is ignored). Without connection info (tests calling the router directly) it is
/// the loopback address.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        if let Some(c) = parts.extensions.get::<crate::server::ClientAddr>() {
            return Ok(ClientIp(c.0));
        }
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |c| c.0.ip()),
        ))
    }
}
