/**
 * The health listener's thread (`HEALTH_PORT`; started by `ProbeListener`). It has its own event
 * loop, so probes are accepted and answered at once even while the main loop is saturated — under
 * a sign-in flood a probe on the main port can wait seconds for its connection to be accepted,
 * and Kubernetes would restart the pod exactly when it is busiest. It reads the main thread's
 * state from shared memory, so liveness still means the main loop runs:
 * - `GET /health/live`: 200 while the main loop's heartbeat is fresher than the allowed lag, else
 *   503 (`event_loop` down);
 * - `GET /health/ready`: 503 at once when draining or when the heartbeat is stale, else the main
 *   thread's latest readiness result (refreshed every `READINESS_INTERVAL_MS`).
 * Nothing else is served here (404; 405 for another method on a probe path).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { type ProbeThreadData, ProbeState, type ReadinessReport } from './probe-state';

const { host, port, maxLagMs, buffer } = workerData as ProbeThreadData;
const state = new ProbeState(buffer);
/** Until the main thread's first check: not ready. */
let readiness: ReadinessReport = {
  status: 503,
  body: { status: 'error', info: {}, error: { startup: { status: 'down' } }, details: {} },
};
parentPort?.on('message', (report: ReadinessReport) => {
  readiness = report;
});

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(text);
}

function eventLoop(): { fresh: boolean; detail: Record<string, unknown> } {
  const lagMs = Math.max(0, Date.now() - state.heartbeat());
  const fresh = lagMs <= maxLagMs;
  return { fresh, detail: { status: fresh ? 'up' : 'down', lag_ms: lagMs } };
}

function handle(request: IncomingMessage, response: ServerResponse): void {
  const path = (request.url ?? '').split('?')[0].replace(/\/+$/, '');
  if (path !== '/health/live' && path !== '/health/ready') {
    send(response, 404, {
      error: 'not_found',
      error_description: 'Only health probes are served here',
    });
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    send(response, 405, { error: 'method_not_allowed', error_description: 'Use GET' });
    return;
  }
  const loop = eventLoop();
  if (!loop.fresh) {
    const down = { event_loop: loop.detail };
    send(response, 503, { status: 'error', info: {}, error: down, details: down });
  } else if (path === '/health/live') {
    const up = { event_loop: loop.detail };
    send(response, 200, { status: 'ok', info: up, error: {}, details: up });
  } else if (state.draining()) {
    const down = { shutdown: { status: 'down', message: 'draining' } };
    send(response, 503, { status: 'error', info: {}, error: down, details: down });
  } else {
    send(response, readiness.status, readiness.body);
  }
}

const server = createServer(handle);
server.keepAliveTimeout = 5_000;
server.once('error', (error: NodeJS.ErrnoException) =>
  parentPort?.postMessage({ type: 'error', code: error.code ?? 'UNKNOWN', message: error.message }),
);
server.listen(port, host, () => parentPort?.postMessage({ type: 'listening' }));
