/**
 * Side-by-side benchmark (`npm run bench`): the service against the bounds that matter, measured
 * in one run on one machine, reported as ratios (absolute numbers vary with the machine).
 *  - password grant vs raw bcrypt.compare at the same cost and concurrency: how close sign-in gets
 *    to the bcrypt bound;
 *  - client_credentials grant and GET /health/live vs a bare node:http server: framework overhead.
 */
import { cpus } from 'node:os';
// As in main.ts: bcrypt runs on the libuv pool, which is sized before its first use.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, cpus().length + 2));

import 'reflect-metadata';
import { createServer, request as httpRequest, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import bcrypt from 'bcrypt';
import { createTestApp, TEST_ADMIN } from '../test/utils/create-test-app';

const DURATION_MS = Number(process.env.BENCH_SECONDS ?? 2) * 1000;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? Math.max(1, cpus().length));
const COST = process.env.BENCH_BCRYPT_COST ?? process.env.BCRYPT_COST ?? '10';
// Per-request logging would flood the report; LOG_LEVEL=info measures it too.
const LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });

interface Call {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

function send(port: number, call: Call): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: call.method,
        path: call.path,
        headers: call.headers,
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(call.body);
  });
}

/** Operations per second of `op` run by CONCURRENCY loops for DURATION_MS. */
async function throughput(op: () => Promise<unknown>): Promise<number> {
  const end = Date.now() + DURATION_MS;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        await op();
        done += 1;
      }
    }),
  );
  return done / (DURATION_MS / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main(): Promise<void> {
  const app = await createTestApp({
    BCRYPT_COST: COST,
    DATABASE_URL: process.env.DATABASE_URL ?? 'sqlite::memory:',
    BCRYPT_MAX_QUEUE: '10000',
    LOG_LEVEL,
  });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const bare = createServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok"}'),
  );
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const barePort = (bare.address() as AddressInfo).port;

  const basic = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const adminToken = JSON.parse(
    (
      await send(port, {
        method: 'POST',
        path: '/oauth2/token',
        headers: { ...form, Authorization: basic(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret) },
        body: 'grant_type=client_credentials',
      })
    ).body,
  ).access_token as string;
  const json = { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}` };
  const web = JSON.parse(
    (
      await send(port, {
        method: 'POST',
        path: '/admin/applications',
        headers: json,
        body: JSON.stringify({ name: 'bench', type: 'web' }),
      })
    ).body,
  );
  await send(port, {
    method: 'POST',
    path: '/admin/users',
    headers: json,
    body: JSON.stringify({ username: 'load-tester', password: 'Bench-Passw0rd-1' }),
  });
  const passwordGrant: Call = {
    method: 'POST',
    path: '/oauth2/token',
    headers: { ...form, Authorization: basic(web.client_id, web.client_secret) },
    body: 'grant_type=password&username=load-tester&password=Bench-Passw0rd-1',
  };
  const check = await send(port, passwordGrant);
  if (check.status !== 200) throw new Error(`password grant failed: ${check.status} ${check.body}`);
  const hash = await bcrypt.hash('Bench-Passw0rd-1', Number(COST));

  const operations = {
    bcrypt: () => bcrypt.compare('Bench-Passw0rd-1', hash),
    password: () => send(port, passwordGrant),
    clientCredentials: () =>
      send(port, {
        method: 'POST',
        path: '/oauth2/token',
        headers: { ...form, Authorization: basic(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret) },
        body: 'grant_type=client_credentials',
      }),
    health: () => send(port, { method: 'GET', path: '/health/live' }),
    bare: () => send(barePort, { method: 'GET', path: '/' }),
  };
  type Measurement = keyof typeof operations;
  // Rounds interleave the measurements, and the median of each is reported, so a burst of load
  // from elsewhere on the machine skews one sample rather than one side of a ratio.
  const samples = Object.fromEntries(
    Object.keys(operations).map((k) => [k, [] as number[]]),
  ) as Record<Measurement, number[]>;
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const name of Object.keys(operations) as Measurement[]) {
      samples[name].push(await throughput(operations[name]));
    }
  }
  const results = Object.fromEntries(
    Object.entries(samples).map(([k, values]) => [k, median(values)]),
  ) as Record<Measurement, number>;
  const rows: Array<[string, number, string]> = [
    ['raw bcrypt.compare', results.bcrypt, 'bound for sign-in'],
    [
      'POST /oauth2/token password',
      results.password,
      `${((results.password / results.bcrypt) * 100).toFixed(0)}% of raw bcrypt`,
    ],
    [
      'POST /oauth2/token client_credentials',
      results.clientCredentials,
      `${((results.clientCredentials / results.bare) * 100).toFixed(1)}% of bare HTTP`,
    ],
    [
      'GET /health/live',
      results.health,
      `${((results.health / results.bare) * 100).toFixed(1)}% of bare HTTP`,
    ],
    ['bare node:http', results.bare, 'bound for any request'],
  ];
  process.stdout.write(
    `\nTessera benchmark: bcrypt cost ${COST}, concurrency ${CONCURRENCY}, median of ${ROUNDS} × ${DURATION_MS / 1000}s, ${cpus().length} CPUs, log level ${LOG_LEVEL}\n\n`,
  );
  process.stdout.write('| measurement | ops/s | ratio |\n|---|---:|---|\n');
  for (const [name, ops, ratio] of rows)
    process.stdout.write(`| ${name} | ${ops.toFixed(0)} | ${ratio} |\n`);
  await app.close();
  bare.close();
  agent.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
