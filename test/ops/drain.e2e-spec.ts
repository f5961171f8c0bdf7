import { Agent } from 'node:http';
import { basicAuth } from '../utils/auth-helpers';
import { uniqueName } from '../utils/unique';
import { freePort } from '../security/support/spawned-service';
import {
  ADMIN_ENV,
  adminTokenOf,
  type HttpAnswer,
  send,
  ServiceProcess,
} from './support/service-process';

/** Loading the application through ts-node on a busy machine takes a while. */
const START_TIMEOUT_MS = 150_000;
const SIGN_INS = 10;

type Probe = { status: number | 'refused'; at: number };

async function probe(base: string, path: string): Promise<Probe> {
  const at = Date.now();
  return send(base, 'GET', path).then(
    (res) => ({ status: res.status, at }),
    () => ({ status: 'refused' as const, at }),
  );
}

/**
 * SIGTERM while ten slow password sign-ins (bcrypt at cost 13, one at a time) are in flight on
 * keep-alive connections: readiness answers 503 at once while liveness stays 200, the listener
 * closes after SHUTDOWN_DELAY_SECONDS, every sign-in still answers 200 (those answered after the
 * close with `Connection: close`), and the process exits 0.
 */
describe('drain on SIGTERM', () => {
  let service: ServiceProcess | undefined;

  afterAll(async () => {
    service?.kill('SIGKILL');
    await service?.exited;
  });

  it('should answer every sign-in in flight, turn readiness 503 during the delay and exit 0', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    service = new ServiceProcess({
      ...ADMIN_ENV,
      PORT: String(port),
      BCRYPT_COST: '13',
      BCRYPT_CONCURRENCY: '1',
      SHUTDOWN_DELAY_SECONDS: '1',
    });
    const listening = await service.waitForMessage(/^Listening on /, START_TIMEOUT_MS);
    expect(listening.json).toMatchObject({ url: base, port });

    const admin = await adminTokenOf(base);
    const client = await send(base, 'POST', '/admin/applications', {
      token: admin,
      json: { name: uniqueName('drain'), type: 'web', scopes: ['openid'] },
    });
    expect(client.status).toBe(201);
    // Parallel sign-ins of one user would otherwise use up its lockout attempts.
    const policy = await send(base, 'PUT', '/admin/password-policy', {
      token: admin,
      json: { lockout_threshold: 0 },
    });
    expect(policy.status).toBe(200);
    const username = uniqueName('drain');
    const password = 'Drain-Passw0rd-1';
    const user = await send(base, 'POST', '/admin/users', {
      token: admin,
      json: { username, password },
    });
    expect(user.status).toBe(201);

    // As a load balancer does: requests on kept-alive connections.
    const agent = new Agent({ keepAlive: true, maxSockets: SIGN_INS });
    const signIn = (): Promise<HttpAnswer> =>
      send(base, 'POST', '/oauth2/token', {
        agent,
        basic: basicAuth(client.body.client_id as string, client.body.client_secret as string),
        form: { grant_type: 'password', username, password, scope: 'openid' },
      });
    await signIn(); // warm the connection pool and the code paths
    const inFlight = Array.from({ length: SIGN_INS }, signIn);
    await new Promise((r) => setTimeout(r, 300));

    const signalledAt = Date.now();
    service.kill('SIGTERM');
    await service.waitForMessage(/readiness answers 503/, 5_000);
    const probes: Array<Probe & { live: Probe['status'] }> = [];
    while (probes.length === 0 || probes[probes.length - 1].status !== 'refused') {
      const [ready, live] = await Promise.all([
        probe(base, '/health/ready'),
        probe(base, '/health/live'),
      ]);
      probes.push({ ...ready, live: live.status });
      if (Date.now() - signalledAt > 20_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const answers = await Promise.allSettled(inFlight);
    const exit = await service.exited;
    agent.destroy();

    const closed = await service.waitForMessage(/^Stopped accepting connections/, 1_000);
    const closedAt = (closed.json?.time as number) ?? closed.receivedAt;
    expect(
      answers.map((a) => (a.status === 'fulfilled' ? a.value.status : String(a.reason))),
    ).toEqual(Array(SIGN_INS).fill(200));
    const fulfilled = answers.map((a) => (a as PromiseFulfilledResult<HttpAnswer>).value);
    expect(fulfilled.every((a) => typeof a.body.access_token === 'string')).toBe(true);
    // The drain is exercised: some sign-ins were still being served when the listener closed,
    // and those connections were closed after their response instead of being kept alive.
    const afterClose = fulfilled.filter((a) => a.finishedAt > closedAt);
    expect(afterClose.length).toBeGreaterThan(0);
    for (const answer of afterClose) expect(answer.headers.connection).toBe('close');

    // Readiness: 503 from the first probe until the listener closed; liveness stayed 200 meanwhile.
    const served = probes.filter((p) => p.status !== 'refused');
    expect(served.length).toBeGreaterThan(0);
    expect(served.every((p) => p.status === 503)).toBe(true);
    expect(served.every((p) => p.live === 200)).toBe(true);
    expect(probes[probes.length - 1].status).toBe('refused');
    // Served for about SHUTDOWN_DELAY_SECONDS after the signal, then refused.
    expect(closedAt - signalledAt).toBeGreaterThanOrEqual(900);

    expect(exit).toBe('0');
    expect(service.output()).toMatch(/Shut down cleanly/);
    for (const line of service.lines) expect(line.json).toBeDefined();
  }, 240_000);
});
