import { spawn } from 'node:child_process';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { LifecycleService } from '../../src/lifecycle/lifecycle.service';
import { freePort } from '../security/support/spawned-service';
import { createTestApp } from '../utils/create-test-app';

interface Probe {
  status: number;
  body: Record<string, unknown>;
  /** When the answer arrived (ms since the epoch). */
  answeredAt: number;
}

/**
 * GET `url` from another process (after `delayMs`), so the request is sent and answered whatever
 * this test's own event loop is doing.
 */
function probeFromAnotherProcess(url: string, delayMs = 0): Promise<Probe> {
  const script = `setTimeout(async () => {
    const res = await fetch(${JSON.stringify(url)});
    const body = await res.json();
    process.stdout.write(JSON.stringify({ status: res.status, body, answeredAt: Date.now() }));
  }, ${delayMs});`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('close', () => {
      try {
        resolve(JSON.parse(out) as Probe);
      } catch {
        reject(new Error(`no answer: ${out}`));
      }
    });
  });
}

/** Keeps this thread — the application's main event loop — busy for `ms`. */
function blockMainThread(ms: number): number {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy: no timer, no I/O callback runs meanwhile
  }
  return Date.now();
}

async function startWithHealthPort(
  env: Record<string, string> = {},
): Promise<{ app: NestExpressApplication; base: string }> {
  const port = await freePort();
  const app = await createTestApp({ HOST: '127.0.0.1', HEALTH_PORT: String(port), ...env });
  return { app, base: `http://127.0.0.1:${port}` };
}

describe('Health probes on HEALTH_PORT (own thread)', () => {
  let app: NestExpressApplication;
  let base: string;
  beforeAll(async () => {
    ({ app, base } = await startWithHealthPort());
  });
  afterAll(() => app.close());

  it('should answer liveness and readiness (the database checked) and nothing else', async () => {
    const live = await fetch(`${base}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({
      status: 'ok',
      details: { event_loop: { status: 'up', lag_ms: expect.any(Number) } },
    });
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' } },
    });
    const other = await fetch(`${base}/oauth2/userinfo`);
    expect(other.status).toBe(404);
    const post = await fetch(`${base}/health/live`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('should answer while the main event loop is busy', async () => {
    const answer = probeFromAnotherProcess(`${base}/health/live`);
    const unblocked = blockMainThread(2_000);
    const probe = await answer;
    expect(probe.status).toBe(200);
    // Answered before this thread was free again: the probe thread did not wait for it.
    expect(probe.answeredAt).toBeLessThan(unblocked);
  });

  it('should turn readiness 503 at once when the drain begins, liveness staying 200', async () => {
    const drainingApp = await startWithHealthPort();
    try {
      drainingApp.app.get(LifecycleService).beginDrain();
      const ready = await fetch(`${drainingApp.base}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: 'error',
        error: { shutdown: { status: 'down', message: 'draining' } },
      });
      expect((await fetch(`${drainingApp.base}/health/live`)).status).toBe(200);
    } finally {
      await drainingApp.app.close();
    }
  });

  it('should report the main loop dead once its heartbeat is older than the allowed lag', async () => {
    const stalled = await startWithHealthPort({ HEALTH_MAX_EVENT_LOOP_LAG_SECONDS: '1' });
    try {
      // Sent 1.6 s into a 3 s stall of the main thread: the heartbeat is then stale.
      const answer = probeFromAnotherProcess(`${stalled.base}/health/live`, 1_600);
      const unblocked = blockMainThread(3_000);
      const probe = await answer;
      expect(probe.answeredAt).toBeLessThan(unblocked);
      expect(probe.status).toBe(503);
      expect(probe.body).toMatchObject({
        status: 'error',
        error: { event_loop: { status: 'down', lag_ms: expect.any(Number) } },
      });
      // Running again: alive.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect((await fetch(`${stalled.base}/health/live`)).status).toBe(200);
    } finally {
      await stalled.app.close();
    }
  });
});
