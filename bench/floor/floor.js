// The practical floor for "time to first status" (cargo xtask bench): fetch one health
// endpoint cross-origin (?endpoint=URL, the same /health/infrastructure Lookout probes) and
// write one line carrying the same DOM contract as a Lookout row (data-component, data-status).
const WORDS = { healthy: 'operational', degraded: 'degraded', unhealthy: 'major_outage', critical: 'major_outage' };
const line = document.getElementById('status');
const endpoint = new URLSearchParams(location.search).get('endpoint');

function show(status, text) {
  line.dataset.component = 'backend_infrastructure';
  line.dataset.status = status;
  line.textContent = text;
}

fetch(endpoint, { cache: 'no-store' })
  .then(async (response) => {
    const body = await response.json();
    const status = WORDS[body.status] ?? 'unknown';
    show(status, `Infrastructure: ${status} (HTTP ${response.status})`);
  })
  .catch((error) => show('unknown', `Infrastructure: unknown (${error})`));
