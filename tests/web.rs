//! Browser tests: mount the page's components in headless Chromium and check the DOM contract.
#![cfg(target_arch = "wasm32")]

use chrono::Utc;
use leptos::prelude::*;
use lookout::components::banner::Banner;
use lookout::components::component_list::ComponentRow;
use lookout_core::board::{ComponentView, OverallView};
use lookout_core::read::{Evidence, Finding};
use lookout_core::status::Status;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let document = document();
    let section = document.create_element("section").unwrap();
    document.body().unwrap().append_child(&section).unwrap();
    section.unchecked_into()
}

fn vpc_down() -> ComponentView {
    ComponentView {
        id: "vpc_connector".into(),
        name: "VPC connector".into(),
        description: "staging-connector".into(),
        critical: true,
        status: Status::MajorOutage,
        reason:
            "redis: error: Error -3 connecting to 10.166.204.83:6379 <img src=x onerror=alert(1)>"
                .into(),
        evidence: vec![Finding {
            status: Status::MajorOutage,
            reason: "VPC connectivity down".into(),
            evidence: Evidence {
                endpoint: "backend_infrastructure".into(),
                http_status: Some(503),
                field: "/vpc_connectivity/overall".into(),
                raw: "false".into(),
            },
        }],
        checked_at: Some(Utc::now() - chrono::Duration::seconds(12)),
        observed_at: Some(Utc::now() - chrono::Duration::seconds(12)),
        latency_ms: Some(412),
    }
}

#[wasm_bindgen_test]
async fn component_row_carries_the_dom_contract() {
    let root = container();
    let now = Signal::derive(Utc::now);
    let _handle = mount_to(
        root.clone(),
        move || view! { <ComponentRow component=Signal::stored(vpc_down()) now=now/> },
    );
    leptos::task::tick().await;
    let row = root
        .query_selector("[data-component=vpc_connector]")
        .unwrap()
        .expect("row rendered");
    assert_eq!(
        row.get_attribute("data-status").as_deref(),
        Some("major_outage")
    );
    let text = row.text_content().unwrap();
    assert!(text.contains("Major outage"), "{text}");
    assert!(text.contains("412 ms"), "{text}");
    assert!(text.contains("checked 12 s ago"), "{text}");
    assert!(text.contains("HTTP 503"), "{text}");
    // Backend text is shown as text, never parsed as HTML.
    assert!(root.query_selector("img").unwrap().is_none());
    assert!(text.contains("<img src=x onerror=alert(1)>"));
}

#[wasm_bindgen_test]
async fn banner_follows_its_signal() {
    let root = container();
    let overall = RwSignal::new(OverallView {
        status: Status::MajorOutage,
        headline: "Major outage".into(),
        detail: "Affected: VPC connector.".into(),
    });
    let _handle = mount_to(root.clone(), move || view! { <Banner overall=overall/> });
    leptos::task::tick().await;
    let banner = root
        .query_selector("[data-testid=overall]")
        .unwrap()
        .expect("banner rendered");
    assert_eq!(
        banner.get_attribute("data-status").as_deref(),
        Some("major_outage")
    );
    overall.set(OverallView {
        status: Status::Operational,
        headline: "All systems operational".into(),
        detail: "All 7 components are operational.".into(),
    });
    leptos::task::tick().await;
    assert_eq!(
        banner.get_attribute("data-status").as_deref(),
        Some("operational")
    );
    assert!(banner
        .text_content()
        .unwrap()
        .contains("All systems operational"));
}

#[wasm_bindgen_test]
async fn a_row_updates_in_place_and_keeps_its_evidence_open() {
    let root = container();
    let component = RwSignal::new(vpc_down());
    let now = Signal::derive(Utc::now);
    let _handle = mount_to(
        root.clone(),
        move || view! { <ComponentRow component=component now=now/> },
    );
    leptos::task::tick().await;
    let details: web_sys::HtmlDetailsElement = root
        .query_selector("details")
        .unwrap()
        .expect("evidence")
        .unchecked_into();
    details.set_open(true);
    component.update(|c| {
        c.status = Status::Operational;
        c.reason = "VPC connectivity: all indicators up".into();
    });
    leptos::task::tick().await;
    let row = root
        .query_selector("[data-component=vpc_connector]")
        .unwrap()
        .unwrap();
    assert_eq!(
        row.get_attribute("data-status").as_deref(),
        Some("operational")
    );
    assert!(row.text_content().unwrap().contains("all indicators up"));
    let same_details: web_sys::HtmlDetailsElement = root
        .query_selector("details")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(
        same_details.open(),
        "the evidence list stays open across updates"
    );
}
