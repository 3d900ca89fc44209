//! `websocket` criteria: consecutive successful handshakes. Its memory (the streak and the
//! last failure) and evaluation.

use super::*;

#[derive(Clone, Debug, Default)]
pub(super) struct SocketMemory {
    streak: u32,
    last: Option<(DateTime<Utc>, bool, String)>,
    last_failure: Option<(DateTime<Utc>, String)>,
}

impl SocketMemory {
    /// Takes one handshake at `at`: a success extends the streak, a failure ends it.
    pub(super) fn observe(&mut self, outcome: &ProbeOutcome, at: DateTime<Utc>) {
        let (success, text) = handshake(outcome);
        if success {
            self.streak = self.streak.saturating_add(1);
        } else {
            self.streak = 0;
            self.last_failure = Some((at, text.clone()));
        }
        self.last = Some((at, success, text));
    }
}

/// Whether one WebSocket probe shows a working connection path, and why.
pub(super) fn handshake(outcome: &ProbeOutcome) -> (bool, String) {
    match outcome {
        ProbeOutcome::WebSocket(session) => session_verdict(session),
        ProbeOutcome::Failed(failure) => (false, format!("no handshake: {}", failure.describe())),
        ProbeOutcome::Response(response) => (
            false,
            format!(
                "HTTP {} where a WebSocket handshake was expected",
                response.status
            ),
        ),
    }
}

pub(super) fn session_verdict(session: &WebSocketSession) -> (bool, String) {
    let code_text = |code: u16| {
        if session.close_reason.is_empty() {
            format!("{code} {}", close_code_name(code))
        } else {
            format!(
                "{code} {}: {}",
                close_code_name(code),
                clip(&session.close_reason)
            )
        }
    };
    match (session.opened, session.close_code) {
        (true, None) => (true, "handshake succeeded".to_string()),
        (true, Some(1008)) => (
            true,
            format!(
                "handshake succeeded, then closed {} (expected without credentials: the infrastructure answered)",
                code_text(1008)
            ),
        ),
        (true, Some(code @ (1006 | 1011..=1015))) => (
            false,
            format!("opened, then failed: {}", code_text(code)),
        ),
        (true, Some(code)) => (
            true,
            format!("handshake succeeded, then closed {}", code_text(code)),
        ),
        (false, Some(code)) => (
            false,
            format!(
                "handshake failed: closed before opening ({}); a refused upgrade (HTTP 500/503) reaches the browser this way",
                code_text(code)
            ),
        ),
        (false, None) => (false, "handshake did not complete".to_string()),
    }
}

pub(super) fn websocket(
    endpoint: &str,
    consecutive: u32,
    memory: &SocketMemory,
    stale: &dyn Fn(&str, DateTime<Utc>) -> bool,
    now: DateTime<Utc>,
) -> Outcome {
    let Some((at, success, text)) = &memory.last else {
        return Outcome::unknown(format!("{endpoint} not probed yet."));
    };
    if stale(endpoint, *at) {
        return stale_outcome(endpoint, *at, now);
    }
    let needed = consecutive.max(1);
    let streak = memory.streak.min(needed);
    let mut evidence = vec![item(
        endpoint,
        if *success {
            CriterionState::Met
        } else {
            CriterionState::NotMet
        },
        format!("latest at {}: {text}", stamp(*at, now)),
        endpoint,
        Some(*at),
    )];
    if let Some((failed_at, failure)) = &memory.last_failure {
        if failed_at != at {
            evidence.push(item(
                endpoint,
                CriterionState::NotMet,
                format!("last failure at {}: {failure}", stamp(*failed_at, now)),
                endpoint,
                Some(*failed_at),
            ));
        }
    }
    let met = memory.streak >= needed;
    let summary = if met {
        format!(
            "{} handshakes in a row succeeded (needs {needed}); latest: {text}.",
            memory.streak
        )
    } else if *success {
        format!("{streak} of {needed} successful handshakes in a row so far; latest: {text}.")
    } else {
        format!("0 of {needed} in a row: latest {text}.")
    };
    Outcome {
        state: if met {
            CriterionState::Met
        } else {
            CriterionState::NotMet
        },
        progress: (u64::from(streak) * 100 / u64::from(needed)) as u8,
        summary,
        evidence,
        observed_at: Some(*at),
    }
}

// --- validation_report ----------------------------------------------------------------------
