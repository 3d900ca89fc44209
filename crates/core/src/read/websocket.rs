//! What a WebSocket handshake says about the infrastructure behind it.
//!
//! Close codes follow RFC 6455 and the grouping Netra's own helper uses: 1000/1001 normal,
//! 1002/1003/1007–1010 client side, 1011–1014 server side, 1006/1015 infrastructure. A browser
//! sees a server that refuses before accepting as a failed handshake with code 1006.

use crate::probe::WebSocketSession;
use crate::read::{Evidence, Finding};
use crate::status::Status;

/// A name for a close code, for people.
pub fn close_code_name(code: u16) -> &'static str {
    match code {
        1000 => "normal closure",
        1001 => "going away",
        1002 => "protocol error",
        1003 => "unsupported data",
        1005 => "no status",
        1006 => "abnormal closure",
        1007 => "invalid payload",
        1008 => "policy violation",
        1009 => "message too big",
        1010 => "missing extension",
        1011 => "server error",
        1012 => "service restart",
        1013 => "try again later",
        1014 => "bad gateway",
        1015 => "TLS handshake failure",
        _ => "unregistered code",
    }
}

/// Classifies a WebSocket session of endpoint `endpoint`.
///
/// An opened socket proves the load balancer, TLS and the service's upgrade path work; a close
/// with 1008 after opening is the server refusing our lack of credentials, which still proves the
/// infrastructure. A socket that never opened, or that the server closed with a server-side code,
/// is an outage.
pub fn classify(endpoint: &str, session: &WebSocketSession) -> Finding {
    let code_text = match session.close_code {
        Some(code) if session.close_reason.is_empty() => {
            format!("{code} {}", close_code_name(code))
        }
        Some(code) => format!("{code} {}: {}", close_code_name(code), session.close_reason),
        None => "still open".to_string(),
    };
    let (status, reason) = match (session.opened, session.close_code) {
        (true, None | Some(1000 | 1001)) => (
            Status::Operational,
            "WebSocket handshake succeeded".to_string(),
        ),
        (true, Some(1008)) => (
            Status::Operational,
            format!(
                "WebSocket handshake succeeded; closed {code_text} (expected without credentials)"
            ),
        ),
        (true, Some(1011..=1014)) => (
            Status::MajorOutage,
            format!("WebSocket opened, then the server failed: {code_text}"),
        ),
        (true, Some(_)) => (
            Status::Degraded,
            format!("WebSocket opened, then closed {code_text}"),
        ),
        (false, _) => (
            Status::MajorOutage,
            format!("WebSocket handshake failed: closed before opening ({code_text})"),
        ),
    };
    Finding {
        status,
        reason,
        evidence: Evidence {
            endpoint: endpoint.to_string(),
            http_status: None,
            field: "close_code".to_string(),
            raw: code_text,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(opened: bool, code: Option<u16>, reason: &str) -> WebSocketSession {
        WebSocketSession {
            opened,
            close_code: code,
            close_reason: reason.to_string(),
        }
    }

    #[test]
    fn auth_failure_after_open_proves_infrastructure() {
        let finding = classify("ws", &session(true, Some(1008), "Authentication failed"));
        assert_eq!(finding.status, Status::Operational);
        assert!(finding.reason.contains("1008"), "{}", finding.reason);
    }

    #[test]
    fn refused_handshake_is_an_outage() {
        let finding = classify("ws", &session(false, Some(1006), ""));
        assert_eq!(finding.status, Status::MajorOutage);
        assert!(finding.reason.contains("before opening"));
        let finding = classify(
            "ws",
            &session(true, Some(1011), "Service not ready: database"),
        );
        assert_eq!(finding.status, Status::MajorOutage);
    }

    #[test]
    fn open_socket_is_operational() {
        assert_eq!(
            classify("ws", &session(true, None, "")).status,
            Status::Operational
        );
    }
}
