//! Readers for the common health formats of other ecosystems, each normalised onto Lookout's
//! scale: IETF health+json, Spring Boot Actuator, Atlassian Statuspage, Kubernetes health text,
//! Elasticsearch cluster health, the generic configurable rule, and the formats `auto` reads
//! with a built-in rule (Consul, Gatus, health-go, NestJS Terminus, ASP.NET HealthChecks). Netra's own payloads live in [`crate::read::netra`]; detection
//! and the shared reading rules live in [`crate::read`].

pub mod elasticsearch;
pub mod ietf;
pub mod kubernetes;
pub mod presets;
pub mod rule;
pub mod spring;
pub mod statuspage;
