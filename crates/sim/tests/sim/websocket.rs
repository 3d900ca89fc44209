//! The `/ws` endpoint: refused handshakes while infrastructure is down, the unauthenticated
//! AUTH_FAILED + 1008 close once it is up, and a full session with a token.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use lookout_sim::{Generation, Phase};
use serde_json::{json, Value};
use tokio_tungstenite::connect_async;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Error, Message};

use crate::Sim;

fn ws_url(sim: &Sim, query: &str) -> String {
    format!("{}{query}", sim.handle.addrs().websocket_url())
}

async fn handshake_status(url: &str, protocol: Option<&str>) -> Option<u16> {
    let mut request = url.into_client_request().unwrap();
    if let Some(protocol) = protocol {
        request
            .headers_mut()
            .insert("sec-websocket-protocol", protocol.parse().unwrap());
    }
    match connect_async(request).await {
        Ok(_) => None,
        Err(Error::Http(response)) => Some(response.status().as_u16()),
        Err(other) => panic!("unexpected handshake error: {other}"),
    }
}

async fn next_json(stream: &mut (impl StreamExt<Item = Result<Message, Error>> + Unpin)) -> Value {
    let message = tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("a frame in time")
        .expect("stream open")
        .expect("frame ok");
    match message {
        Message::Text(text) => serde_json::from_str(text.as_str()).unwrap(),
        other => panic!("expected a text frame, got {other:?}"),
    }
}

#[tokio::test]
async fn handshake_is_refused_while_infrastructure_is_down() {
    let sim = Sim::at(Generation::V1, Phase::Outage).await;
    assert_eq!(handshake_status(&ws_url(&sim, ""), None).await, Some(403));
    sim.scenario(json!({"phase": "diagnosis"})).await;
    assert_eq!(
        handshake_status(&ws_url(&sim, "?token=abc"), None).await,
        Some(403)
    );
    let counts = sim.counts().await;
    assert_eq!(counts["requests"]["backend WS /ws"], 2);
}

#[tokio::test]
async fn without_credentials_the_socket_opens_then_closes_1008() {
    let sim = Sim::at(Generation::V2, Phase::PartialRecovery).await;
    for phase in ["partial_recovery", "recovered"] {
        sim.scenario(json!({"phase": phase})).await;
        let (mut socket, _) = connect_async(ws_url(&sim, ""))
            .await
            .expect("handshake succeeds");
        let frame = next_json(&mut socket).await;
        assert_eq!(frame["type"], "error_message");
        assert_eq!(frame["error_code"], "AUTH_FAILED");
        assert_eq!(frame["details"], json!({}));
        assert!(frame["recovery_suggestions"].is_null());
        let close = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        match close {
            Message::Close(Some(frame)) => {
                assert_eq!(frame.code, CloseCode::Policy);
                assert_eq!(frame.reason.as_str(), "Authentication failed");
            }
            other => panic!("{phase}: expected close 1008, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_token_gets_connection_established() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    let (mut socket, _) = connect_async(ws_url(&sim, "?token=test-jwt"))
        .await
        .unwrap();
    let frame = next_json(&mut socket).await;
    assert_eq!(frame["type"], "connection_established");
    assert_eq!(
        frame["data"]["golden_path_events"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert!(frame["data"]["user_id"].as_str().unwrap().ends_with("..."));
    assert!(frame["timestamp"].is_f64());
    assert!(frame["server_id"].is_null());
    socket
        .send(Message::Text(r#"{"type":"ping"}"#.into()))
        .await
        .unwrap();
    assert_eq!(next_json(&mut socket).await["type"], "pong");
    socket.close(None).await.unwrap();
}

#[tokio::test]
async fn subprotocols_are_negotiated_or_refused() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    let mut request = ws_url(&sim, "").into_client_request().unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "jwt-auth.eyJhbGciOi".parse().unwrap(),
    );
    let (mut socket, response) = connect_async(request).await.unwrap();
    assert_eq!(
        response.headers()["sec-websocket-protocol"],
        "jwt-auth.eyJhbGciOi"
    );
    assert_eq!(
        next_json(&mut socket).await["type"],
        "connection_established"
    );

    assert_eq!(
        handshake_status(&ws_url(&sim, ""), Some("graphql-ws")).await,
        Some(403)
    );
}

#[tokio::test]
async fn faults_reject_or_hang_the_handshake() {
    let sim = Sim::at(Generation::V1, Phase::Recovered).await;
    sim.fault(json!({"service": "backend", "path": "/ws", "status": 503}))
        .await;
    assert_eq!(handshake_status(&ws_url(&sim, ""), None).await, Some(503));

    sim.fault(json!({"service": "backend", "path": "/ws", "hang": true}))
        .await;
    let attempt =
        tokio::time::timeout(Duration::from_millis(300), connect_async(ws_url(&sim, ""))).await;
    assert!(attempt.is_err(), "the handshake never completes");
}
