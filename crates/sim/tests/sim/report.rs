//! The published validation report: the script's shape and its quirky arithmetic per phase.

use lookout_sim::{Generation, Phase};
use serde_json::Value;

use crate::Sim;

const REPORT: &str = "/reports/validate_infrastructure_fix.json";

#[tokio::test]
async fn report_follows_the_story() {
    let sim = Sim::at(Generation::V1, Phase::Outage).await;
    // (phase, passed requests, pass_percentage, validation_passed, recommendation)
    let table = [
        (Phase::Outage, 3, 33.3, false, "REQUIRES_ATTENTION"),
        (Phase::Diagnosis, 7, 77.8, false, "REQUIRES_ATTENTION"),
        (
            Phase::PartialRecovery,
            20,
            222.2,
            false,
            "REQUIRES_ATTENTION",
        ),
        (Phase::Recovered, 26, 288.9, true, "APPROVED"),
    ];
    for (phase, passed, percentage, ok, recommendation) in table {
        sim.scenario(serde_json::json!({"phase": phase.as_str()}))
            .await;
        let report = sim.get(&sim.backend(REPORT)).await.json();
        let summary = &report["summary"];
        assert_eq!(summary["total_tests"], 9, "{phase}: paths, not requests");
        assert_eq!(summary["total_passed"], passed, "{phase}");
        assert_eq!(summary["total_failed"], 27 - passed, "{phase}");
        assert_eq!(
            summary["pass_percentage"].as_f64(),
            Some(percentage),
            "{phase}"
        );
        assert_eq!(report["validation_passed"], ok, "{phase}");
        assert_eq!(
            report["infrastructure_team_signoff"]["recommendation"],
            recommendation
        );

        let categories = report["test_categories"].as_object().unwrap();
        assert_eq!(categories.len(), 4);
        let mut entries = 0;
        for (name, category) in categories {
            let tests = category["tests"].as_object().unwrap();
            entries += tests.len();
            let passes = tests.values().filter(|t| t["status"] == "passed").count();
            assert_eq!(category["passed"], passes, "{phase} {name}");
            assert_eq!(
                category["success"],
                passes as u64 >= category["required_passing"].as_u64().unwrap()
            );
            for (key, test) in tests {
                let prefix = key.split('_').next().unwrap();
                assert!(["backend", "auth", "frontend"].contains(&prefix), "{key}");
                assert_eq!(test["endpoint"], prefix);
                let status = test["status"].as_str().unwrap();
                assert!(
                    ["passed", "failed_validation", "failed_http", "timeout"].contains(&status),
                    "{status}"
                );
            }
        }
        assert_eq!(entries, 27);
        let db_ok = categories["database_operations"]["success"] == Value::Bool(true);
        assert_eq!(db_ok, phase == Phase::Recovered, "{phase}");
    }
}

#[tokio::test]
async fn report_entries_carry_the_validators_verdicts() {
    let sim = Sim::at(Generation::V2, Phase::Diagnosis).await;
    let report = sim.get(&sim.backend(REPORT)).await.json();
    let connectivity = &report["test_categories"]["connectivity"]["tests"];
    let infra = &connectivity["backend_infrastructure"];
    assert_eq!(infra["status"], "failed_validation");
    assert_eq!(infra["http_status"], 200);
    let issues = infra["validation"]["issues"].to_string();
    assert!(issues.contains("Infrastructure not ready"), "{issues}");
    let ready = &connectivity["auth_readiness"];
    assert_eq!(ready["status"], "failed_http");
    assert_eq!(ready["http_status"], 503);
    assert_eq!(ready["infrastructure_issue"], true);
    assert_eq!(ready["error_data"]["message"], "Database dependency failed");
    let agents = &report["test_categories"]["agent_systems"]["tests"];
    assert_eq!(agents["frontend_system_comprehensive"]["status"], "timeout");
    assert_eq!(
        agents["frontend_system_comprehensive"]["timeout_seconds"],
        60.0
    );
}
