//! The `lookout-sim` binary itself: the ready line, and a clean exit on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::Value;

#[test]
fn prints_one_ready_line_and_exits_cleanly_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lookout-sim"))
        .args([
            "--site-port",
            "0",
            "--backend-port=0",
            "--auth-port",
            "0",
            "--control-port",
            "0",
            "--phase",
            "recovered",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let json = line
        .trim_end()
        .strip_prefix("LOOKOUT_SIM_READY ")
        .unwrap_or_else(|| panic!("ready line: {line:?}"));
    let keys: Vec<&str> = ["site", "page", "backend", "auth", "control", "websocket"].to_vec();
    let positions: Vec<usize> = keys
        .iter()
        .map(|k| json.find(&format!("\"{k}\":")).unwrap())
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "key order: {json}"
    );
    let ready: Value = serde_json::from_str(json).unwrap();
    let site = ready["site"].as_str().unwrap();
    assert!(site.starts_with("http://127.0.0.1:"));
    assert_eq!(ready["page"], format!("{site}/bucket/status/"));
    let backend = ready["backend"].as_str().unwrap();
    assert_eq!(
        ready["websocket"],
        format!("{}/ws", backend.replacen("http://", "ws://", 1))
    );

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
}
