//! The simulator's shared mutable state: scenario, faults, request counts, CORS policy, and the
//! CLI defaults a reset returns to. One [`Sim`] is shared by every listener.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use chrono::Utc;

use crate::cors::CorsPolicy;
use crate::counts::Counts;
use crate::faults::Faults;
use crate::scenario::{Ctx, Generation, Phase, Scenario};
use crate::{SimAddrs, SimOptions};

/// Which simulated service a request reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Service {
    Backend,
    Auth,
}

impl Service {
    /// The name used in fault specs and count keys.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Service::Backend => "backend",
            Service::Auth => "auth",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "backend" => Some(Service::Backend),
            "auth" => Some(Service::Auth),
            _ => None,
        }
    }
}

/// State shared by the backend, auth, site and control listeners.
pub(crate) struct Sim {
    scenario: Mutex<Scenario>,
    defaults: (Generation, Phase, u64),
    pub(crate) faults: Faults,
    pub(crate) counts: Arc<Counts>,
    pub(crate) cors: CorsPolicy,
    started: Instant,
    pub(crate) verbose: bool,
    /// How many components `/health/generated` lists; 0 when it is not served.
    pub(crate) generated_components: usize,
    generated_answers: AtomicU64,
    /// Origins of the two services, for faults that redirect from one to the other.
    pub(crate) origins_of: (String, String),
}

impl Sim {
    pub(crate) fn new(opts: &SimOptions, addrs: &SimAddrs) -> Self {
        Self {
            scenario: Mutex::new(Scenario::new(
                opts.generation,
                opts.phase,
                opts.phase_seconds,
            )),
            defaults: (opts.generation, opts.phase, opts.phase_seconds),
            faults: Faults::default(),
            counts: Arc::new(Counts::default()),
            cors: CorsPolicy::new(addrs, &opts.allow_origins),
            started: Instant::now(),
            verbose: opts.verbose,
            generated_components: opts.generated_components,
            generated_answers: AtomicU64::new(0),
            origins_of: (addrs.backend_url(), addrs.auth_url()),
        }
    }

    /// The origin of the service that is not `service`, where a redirect fault points.
    pub(crate) fn other_origin(&self, service: Service) -> &str {
        match service {
            Service::Backend => &self.origins_of.1,
            Service::Auth => &self.origins_of.0,
        }
    }

    /// Locks the scenario; a poisoned lock still holds a usable value.
    pub(crate) fn scenario(&self) -> MutexGuard<'_, Scenario> {
        self.scenario.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The context one request's payloads are built from.
    pub(crate) fn ctx(&self) -> Ctx {
        let scenario = self.scenario();
        Ctx {
            generation: scenario.generation,
            phase: scenario.phase_at(Instant::now()),
            now: Utc::now(),
            uptime: self.started.elapsed().as_secs_f64(),
            origins: self.cors.origins(),
        }
    }

    /// Clears counts and faults and returns generation, phase and period to the CLI defaults.
    pub(crate) fn reset(&self) {
        let (generation, phase, phase_seconds) = self.defaults;
        *self.scenario() = Scenario::new(generation, phase, phase_seconds);
        self.faults.clear();
        self.counts.reset();
    }

    /// Counts an answer of `/health/generated` and returns its 0-based number.
    pub(crate) fn next_generated_answer(&self) -> u64 {
        self.generated_answers.fetch_add(1, Ordering::Relaxed)
    }

    /// Writes one request line to stderr when `--verbose` is on.
    pub(crate) fn log(&self, line: std::fmt::Arguments<'_>) {
        if self.verbose {
            eprintln!("{line}");
        }
    }
}
