//! Readers for the common health formats of other ecosystems, each normalised onto Lookout's
//! scale: IETF health+json, Spring Boot Actuator, Atlassian Statuspage, Kubernetes health text,
//! and the generic configurable rule. Netra's own payloads live in [`crate::read::netra`]; detection
//! and the shared reading rules live in [`crate::read`].

pub mod ietf;
pub mod kubernetes;
pub mod rule;
pub mod spring;
pub mod statuspage;
