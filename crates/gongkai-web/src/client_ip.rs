//! The client's address as a handler extractor, for the per-address limits of the portal, the
//! API and the back office's sign-in, and as the address of the audit entries a request
//! writes ([`audit_scope`]).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

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

/// Middleware: handles the request with its client address as the address of every audit
/// entry it writes ([`gongkai_store::audit::with_address`]), so the audit log says where each
/// change came from without every handler passing it to the store.
pub async fn audit_scope(ClientIp(ip): ClientIp, req: Request, next: Next) -> Response {
    gongkai_store::audit::with_address(ip.to_string(), next.run(req)).await
}
