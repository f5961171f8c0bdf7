/**
 * `npm run bench [-- --quick] [-- --mysql]`: Tessera measured as it runs in production, each figure
 * beside its baseline from the same run (issue 12):
 *  - sign-ins/s ÷ raw bcrypt.compare/s (same cost, concurrency and UV_THREADPOOL_SIZE);
 *  - client_credentials, refresh and userinfo ÷ a bare node:http server under the same load, and
 *    ÷ the framework's floor (NestJS on Express with one empty route, bench/framework-floor-server);
 *  - self-service change with history 0, 5, 24 ÷ one bcrypt compare;
 *  - peak RSS under each load, start → ready, 1 k vs 100 k users, database statements per request;
 *  - Better Auth (bench/peer) on the same bcrypt, SQLite and load;
 *  - a sign-in flood with /health/live probed on new connections meanwhile.
 * Every server is a process of its own; the load comes from two more (autocannon, and raw bcrypt
 * plus probes). Measurements are interleaved in rounds and reported as medians with their spread,
 * so a burst of load from elsewhere on the machine skews one sample, not one side of a ratio.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcrypt';
import { createConnection } from 'mysql2/promise';
import type { LoadResult } from './load-worker';
import {
  BENCH_DIR,
  ROOT_DIR,
  RssWatch,
  type ServerProcess,
  Worker,
  compileHelper,
  settle,
  freePort,
  startServer,
} from './processes';
import { buildReport, type Measurements, type Settings } from './report';
import { openSeedDatabase, seedFillerUsers, seedHistory } from './seed';
import { type Application, PASSWORD, PeerClient, TesseraClient } from './tessera-client';

function parseSettings(argv: string[]): Settings {
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string) =>
    argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const quick = flag('quick');
  return {
    quick,
    mysql: flag('mysql'),
    build: flag('no-build') ? 'never' : flag('rebuild') ? 'always' : 'auto',
    seconds: Number(value('seconds') ?? (quick ? 1 : 5)),
    warmupSeconds: Number(value('warmup') ?? (quick ? 0.5 : 2)),
    rounds: Number(value('rounds') ?? (quick ? 3 : 5)),
    costs: quick ? [10] : [10, 12],
    concurrencies: [2, 4, 8],
    cheapConnections: 10,
    peerSignInConcurrency: 4,
    smallUsers: 1_000,
    largeUsers: Number(value('large-users') ?? (quick ? 20_000 : 100_000)),
    changeSamples: quick ? 2 : 4,
    historyCounts: [0, 5, 24],
    floodConnections: 200,
    floodSeconds: quick ? 4 : 10,
    logLevel: value('log-level'),
    cpus: cpus().length,
    uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? String(Math.max(4, cpus().length + 2)),
    bcryptConcurrency: process.env.BCRYPT_CONCURRENCY,
  };
}

/** dist/ newer than every file it is built from: `npm run build` would change nothing. */
function distIsCurrent(): boolean {
  const built = join(ROOT_DIR, 'dist', 'src', 'main.js');
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  const newest = (path: string): number => {
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.mtimeMs;
    return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
  };
  const sources = [
    'src',
    'package-lock.json',
    'tsconfig.json',
    'tsconfig.build.json',
    'nest-cli.json',
  ];
  return sources.every((source) => newest(join(ROOT_DIR, source)) < builtAt);
}

/** Better Auth users the peer's sign-in load spreads over (each sign-up costs a hash). */
const PEER_SIGN_IN_USERS = 8;

const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

/** A Tessera instance with what the loads need. */
interface Tessera {
  server: ServerProcess;
  client: TesseraClient;
  web: Application;
  m2m: Application;
  /** Application per history count, whose policy override sets it. */
  historyApps: Map<number, Application>;
  accessToken: string;
  /** The health listener's probe thread (HEALTH_PORT). */
  healthUrl: string;
}

async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2));
  const runStarted = performance.now();
  if (settings.build === 'always' || (settings.build === 'auto' && !distIsCurrent())) {
    log('npm run build');
    const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT_DIR, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const tmp = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  if (!existsSync(join(BENCH_DIR, 'peer', 'node_modules'))) {
    log('npm ci --prefix bench/peer (Better Auth, once)');
    execFileSync('npm', ['ci', '--prefix', join(BENCH_DIR, 'peer'), '--no-audit', '--no-fund'], {
      stdio: 'inherit',
    });
  }
  const helper = (name: string) =>
    compileHelper(join(BENCH_DIR, `${name}.ts`), join(tmp, `${name}.js`));
  const helpers = {
    counter: helper('query-counter'),
    bare: helper('bare-server'),
    floor: helper('framework-floor-server'),
    load: helper('load-worker'),
    aux: helper('aux-worker'),
    // An ES module (Better Auth ships no other), resolved from bench/peer/node_modules.
    peer: compileHelper(
      join(BENCH_DIR, 'peer', 'server.ts'),
      join(BENCH_DIR, 'peer', 'node_modules', '.bench', 'server.mjs'),
      true,
    ),
  };
  const stops: Array<() => Promise<void>> = [];
  const mysqlDatabases: string[] = [];
  const mysqlServer = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
  const baseEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    UV_THREADPOOL_SIZE: settings.uvThreadpoolSize,
    // The compiled helpers live in `tmp`; their packages are the project's.
    NODE_PATH: join(ROOT_DIR, 'node_modules'),
  };
  const otherHash10 = await bcrypt.hash('Not-The-Bench-Passw0rd', 10);
  const benchHash10 = await bcrypt.hash(PASSWORD, 10);

  async function databaseUrl(name: string): Promise<string> {
    if (!settings.mysql) return `sqlite:${join(tmp, `${name}.db`)}`;
    const database = `tessera_bench_${name}_${randomBytes(3).toString('hex')}`;
    const connection = await createConnection(mysqlServer);
    await connection.query(`CREATE DATABASE \`${database}\``);
    await connection.end();
    mysqlDatabases.push(database);
    return `${mysqlServer}/${database}`;
  }

  async function startTessera(
    name: string,
    cost: number,
    url: string,
    port: number,
    healthPort: number,
  ) {
    const admin = { id: 'bench-admin', secret: randomBytes(24).toString('hex') };
    const env: NodeJS.ProcessEnv = {
      ...baseEnv,
      NODE_ENV: 'production',
      PORT: String(port),
      // As the Kubernetes manifests run it: probes answered from a thread of their own.
      HEALTH_PORT: String(healthPort),
      HOST: '127.0.0.1',
      DATABASE_URL: url,
      DATA_DIR: tmp,
      SECRET_KEY: randomBytes(32).toString('hex'),
      ISSUER: `http://127.0.0.1:${port}`,
      ADMIN_CLIENT_ID: admin.id,
      ADMIN_CLIENT_SECRET: admin.secret,
      BCRYPT_COST: String(cost),
      // Every load comes from one address and a few accounts: the rate limits would measure
      // themselves. The flood is shed by the bcrypt queue (503), as in a real burst.
      RATE_LIMIT_IP: '0',
      RATE_LIMIT_ACCOUNT: '0',
      ...(settings.bcryptConcurrency ? { BCRYPT_CONCURRENCY: settings.bcryptConcurrency } : {}),
      ...(settings.logLevel ? { LOG_LEVEL: settings.logLevel } : {}),
    };
    const args = ['-r', helpers.counter, join(ROOT_DIR, 'dist', 'src', 'main.js')];
    const start = () => startServer(name, args, env, port, '/health/ready');
    return { start, admin };
  }

  /**
   * Starts Tessera on a fresh database (migrations run), seeds it and starts it again: every
   * instance is measured as a fresh process on its data, and the restart is the start → ready a
   * replica pays when it is rescheduled.
   */
  async function tessera(name: string, cost: number, users: number): Promise<Tessera> {
    const url = await databaseUrl(name);
    const port = await freePort();
    const healthPort = await freePort();
    const { start, admin } = await startTessera(name, cost, url, port, healthPort);
    const first = await start();
    stops.push(() => first.stop());
    const client = new TesseraClient(first.url);
    await client.signInAdmin(admin.id, admin.secret);
    const web = await client.createApplication('bench-web', 'web');
    const m2m = await client.createApplication('bench-m2m', 'm2m');
    const historyApps = new Map<number, Application>();
    await client.createUser('bench-signin');
    const db = await openSeedDatabase(url);
    for (const count of settings.historyCounts) {
      const app = await client.createApplication(`bench-history-${count}`, 'web');
      await client.setHistoryCount(app, count);
      historyApps.set(count, app);
      const userId = await client.createUser(`bench-change-${count}`);
      await seedHistory(db, userId, count, otherHash10);
    }
    // Fillers can sign in: the sign-in loads spread over them (see signInRequest).
    await seedFillerUsers(
      db,
      users - 1 - settings.historyCounts.length,
      cost === 10 ? benchHash10 : await bcrypt.hash(PASSWORD, cost),
    );
    await db.close();
    await first.stop();
    const server = await start();
    stops.push(() => server.stop());
    const accessToken = (await client.signIn(web, 'bench-signin')).access_token;
    log(
      `${name}: ${users} users, first start ${first.readyMs.toFixed(0)} ms, restart ${server.readyMs.toFixed(0)} ms`,
    );
    return {
      server: Object.assign(server, { firstStartMs: first.readyMs }),
      client,
      web,
      m2m,
      historyApps,
      accessToken,
      healthUrl: `http://127.0.0.1:${healthPort}`,
    };
  }

  const measurements: Measurements = { samples: {}, single: {}, notes: {} };
  const record = (key: string, sample: Record<string, number>): void => {
    (measurements.samples[key] ??= []).push(sample);
  };

  try {
    const aux = await Worker.start(helpers.aux, baseEnv);
    stops.push(() => aux.stop());
    const load = await Worker.start(helpers.load, baseEnv);
    stops.push(() => load.stop());

    const barePort = await freePort();
    const bare = await startServer(
      'bare',
      [helpers.bare],
      { ...baseEnv, PORT: String(barePort) },
      barePort,
      '/',
    );
    stops.push(() => bare.stop());
    const floorPort = await freePort();
    const floor = await startServer(
      'floor',
      [helpers.floor],
      { ...baseEnv, NODE_ENV: 'production', PORT: String(floorPort) },
      floorPort,
      '/oauth2/userinfo',
    );
    stops.push(() => floor.stop());

    log('starting Tessera (small), seeding');
    const small = await tessera('small', 10, settings.smallUsers);
    // Scale: a pair that takes only the two scale loads, so both have the same history (the main
    // instance, warmed by every other load, would look faster for that alone).
    log(`starting Tessera (scale pair: ${settings.smallUsers} and ${settings.largeUsers} users)`);
    const scaleSmall = await tessera('scale-small', 10, settings.smallUsers);
    const large = await tessera('large', 10, settings.largeUsers);
    const dear = settings.costs.includes(12)
      ? await tessera('cost12', 12, settings.smallUsers)
      : undefined;

    log('starting Better Auth');
    const peerPort = await freePort();
    const peerEnv = {
      ...baseEnv,
      NODE_ENV: 'production',
      PORT: String(peerPort),
      BCRYPT_COST: '10',
      PEER_SECRET: randomBytes(32).toString('hex'),
      PEER_DB: join(tmp, 'peer.db'),
      BETTER_AUTH_TELEMETRY: '0',
    };
    const peerFirst = await startServer('peer', [helpers.peer], peerEnv, peerPort, '/api/auth/ok');
    const peerSetup = new PeerClient(peerFirst.url);
    for (let i = 0; i < PEER_SIGN_IN_USERS; i += 1)
      await peerSetup.signUp(`signin-${i}@bench.test`);
    await peerSetup.signUp('change@bench.test');
    await peerFirst.stop();
    const peer = await startServer('peer', [helpers.peer], peerEnv, peerPort, '/api/auth/ok');
    stops.push(() => peer.stop());
    const peerClient = new PeerClient(peer.url);
    const peerCookie = await peerClient.signIn('signin-0@bench.test');
    measurements.single.startReady = {
      tesseraFirst: (small.server as ServerProcess & { firstStartMs: number }).firstStartMs,
      tesseraRestart: small.server.readyMs,
      peerFirst: peerFirst.readyMs,
      peerRestart: peer.readyMs,
      bare: bare.readyMs,
    };

    // One load shape: autocannon against a server, its peak RSS watched meanwhile.
    type Target = { server: ServerProcess };
    const autocannon = async (
      target: Target,
      request: {
        method: 'GET' | 'POST';
        path: string;
        headers: Record<string, string>;
        body?: string;
        bodies?: string[];
      },
      connections: number,
      seconds: number,
      extra: Record<string, unknown> = {},
    ): Promise<LoadResult & { rssMB: number }> => {
      const watch = new RssWatch(target.server.child.pid ?? 0);
      const result = await load.call<LoadResult>({
        type: 'load',
        url: target.server.url + request.path,
        method: request.method,
        headers: request.headers,
        body: request.body,
        bodies: request.bodies,
        connections,
        seconds,
        ...extra,
      });
      return { ...result, rssMB: watch.stop() };
    };

    const refreshBody = (app: Application) => ({
      ...small.client.clientCredentialsRequest(app),
      body: 'grant_type=refresh_token&refresh_token={refresh_token}',
    });
    let refreshPool = 0;
    const topUpRefreshTokens = async (): Promise<string[]> => {
      const tokens: string[] = [];
      while (refreshPool + tokens.length < 3 * settings.cheapConnections) {
        const { refresh_token } = await small.client.signIn(small.web, 'bench-signin');
        if (!refresh_token) throw new Error('the password grant gave no refresh token');
        tokens.push(refresh_token);
      }
      return tokens;
    };

    type Shape = {
      key: string;
      run: (seconds: number, warmUp?: boolean) => Promise<Record<string, number>>;
    };
    const loadShape = (
      key: string,
      target: Target,
      request: Parameters<typeof autocannon>[1],
      connections: number,
      slow = false,
    ): Shape => ({
      key,
      run: async (seconds) => {
        const result = await autocannon(target, request, connections, seconds, {
          sampleFailures: slow,
        });
        const failed =
          result.requests - (result.statusCodes['200'] ?? 0) - (result.statusCodes['201'] ?? 0);
        if (failed > 0) measurements.notes[key] ??= result.failureSamples;
        if (failed > 0 || result.errors > 0)
          log(
            `${key}: ${failed} non-2xx ${JSON.stringify(result.statusCodes)}, ${result.errors} errors ${JSON.stringify(result.failureSamples)}`,
          );
        return {
          // Slow closed loops (sign-ins): Little's law, like raw bcrypt beside them.
          perSecond: slow ? result.littlePerSecond : result.perSecond,
          counted: result.perSecond,
          p50: result.p50,
          p99: result.p99,
          rssMB: result.rssMB,
          non2xx: failed,
          errors: result.errors,
        };
      },
    });
    const bcryptShape = (cost: number, concurrency: number): Shape => ({
      key: `bcrypt.c${concurrency}.cost${cost}`,
      run: (seconds) => aux.call({ type: 'bcrypt', cost, concurrency, seconds }),
    });
    // Spread over `users` seeded users, a few in flight each: the lockout counts attempts in
    // flight, so one user signing in 8 times at once is refused (a finding, not this figure).
    const signInRequest = (t: Tessera, users = 32) => ({
      method: 'POST' as const,
      path: '/oauth2/token',
      headers: t.client.passwordGrantRequest(t.web, 'filler-0').headers,
      bodies: Array.from(
        { length: users },
        (_, i) => t.client.passwordGrantRequest(t.web, `filler-${i}`).body,
      ),
    });
    const userinfoRequest = (t: Tessera) => ({
      method: 'GET' as const,
      path: '/oauth2/userinfo',
      headers: { Authorization: `Bearer ${t.accessToken}` },
    });

    const shapes: Shape[] = [];
    for (const cost of settings.costs) {
      const target = cost === 12 && dear ? dear : small;
      for (const c of settings.concurrencies) {
        shapes.push(bcryptShape(cost, c));
        shapes.push(loadShape(`signin.c${c}.cost${cost}`, target, signInRequest(target), c, true));
      }
    }
    shapes.push(
      loadShape(
        'peer.signin',
        { server: peer },
        {
          method: 'POST',
          path: '/api/auth/sign-in/email',
          headers: peerClient.headers(),
          bodies: Array.from({ length: PEER_SIGN_IN_USERS }, (_, i) =>
            peerClient.signInBody(`signin-${i}@bench.test`),
          ),
        },
        settings.peerSignInConcurrency,
        true,
      ),
      loadShape(
        'clientCredentials',
        small,
        {
          method: 'POST',
          path: '/oauth2/token',
          ...small.client.clientCredentialsRequest(small.m2m),
        },
        settings.cheapConnections,
      ),
      {
        key: 'refresh',
        run: async (seconds) => {
          const refreshTokens = await topUpRefreshTokens();
          const result = await autocannon(
            small,
            { method: 'POST', path: '/oauth2/token', ...refreshBody(small.web) },
            settings.cheapConnections,
            seconds,
            { refreshTokens },
          );
          refreshPool = result.refreshPool;
          const failed = result.requests - (result.statusCodes['200'] ?? 0);
          if (failed > 0) log(`refresh: ${failed} non-2xx ${JSON.stringify(result.statusCodes)}`);
          return {
            perSecond: result.perSecond,
            p50: result.p50,
            p99: result.p99,
            rssMB: result.rssMB,
            non2xx: failed,
          };
        },
      },
      loadShape(
        'bare.post',
        { server: bare },
        {
          method: 'POST',
          path: '/oauth2/token',
          ...small.client.clientCredentialsRequest(small.m2m),
        },
        settings.cheapConnections,
      ),
      loadShape(
        'floor.post',
        { server: floor },
        {
          method: 'POST',
          path: '/oauth2/token',
          ...small.client.clientCredentialsRequest(small.m2m),
        },
        settings.cheapConnections,
      ),
      loadShape('userinfo', small, userinfoRequest(small), settings.cheapConnections),
      loadShape('bare.get', { server: bare }, userinfoRequest(small), settings.cheapConnections),
      loadShape('floor.get', { server: floor }, userinfoRequest(small), settings.cheapConnections),
      loadShape(
        'peer.getSession',
        { server: peer },
        {
          method: 'GET',
          path: '/api/auth/get-session',
          headers: peerClient.headers(peerCookie),
        },
        settings.cheapConnections,
      ),
      loadShape('scale.signin.c2', scaleSmall, signInRequest(scaleSmall), 2, true),
      loadShape(
        'scale.userinfo',
        scaleSmall,
        userinfoRequest(scaleSmall),
        settings.cheapConnections,
      ),
      loadShape('large.signin.c2', large, signInRequest(large), 2, true),
      loadShape('large.userinfo', large, userinfoRequest(large), settings.cheapConnections),
    );

    // Sequential changes: only the change is timed; a change revokes the user's tokens, so each
    // one signs in first (Tessera), while Better Auth keeps the session it changes from.
    const passwords = new Map<string, string>();
    let serial = 0;
    const nextPassword = (): string => `Bench-${Date.now().toString(36)}-${(serial += 1)}-xQ7`;
    const tesseraChanges = async (historyCount: number, samples: number): Promise<number[]> => {
      const app = small.historyApps.get(historyCount) as Application;
      const username = `bench-change-${historyCount}`;
      const times: number[] = [];
      for (let i = 0; i < samples; i += 1) {
        const current = passwords.get(username) ?? PASSWORD;
        const { access_token } = await small.client.signIn(app, username, current);
        const next = nextPassword();
        const started = performance.now();
        await small.client.change(access_token, current, next);
        times.push(performance.now() - started);
        passwords.set(username, next);
      }
      return times;
    };
    let peerCurrent = PASSWORD;
    const peerChangeCookie = await peerClient.signIn('change@bench.test');
    const peerChanges = async (samples: number): Promise<number[]> => {
      const times: number[] = [];
      for (let i = 0; i < samples; i += 1) {
        const next = nextPassword();
        const started = performance.now();
        await peerClient.change(peerChangeCookie, peerCurrent, next);
        times.push(performance.now() - started);
        peerCurrent = next;
      }
      return times;
    };
    const median = (values: number[]): number => {
      const sorted = [...values].sort((a, b) => a - b);
      const mid = Math.floor(sorted.length / 2);
      return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    };
    const changeShapes: Shape[] = [
      ...settings.historyCounts.map((n) => ({
        key: `change.h${n}`,
        run: async (_seconds: number, warmUp = false) => ({
          p50: median(await tesseraChanges(n, warmUp ? 1 : settings.changeSamples)),
        }),
      })),
      {
        key: 'peer.change',
        run: async (_seconds: number, warmUp = false) => ({
          p50: median(await peerChanges(warmUp ? 1 : settings.changeSamples)),
        }),
      },
      {
        key: 'bcrypt.latency.cost10',
        run: () =>
          aux.call({ type: 'bcryptLatency', cost: 10, count: 2 * settings.changeSamples + 1 }),
      },
    ];

    const all = [...shapes, ...changeShapes];
    log(`warm-up: ${all.length} shapes × ${settings.warmupSeconds}s`);
    const serverPids = [
      small,
      large,
      ...(dear ? [dear] : []),
      { server: peer },
      { server: bare },
      { server: floor },
    ].map((t) => t.server.child.pid ?? 0);
    for (const shape of all) await shape.run(settings.warmupSeconds, true);
    for (let round = 0; round < settings.rounds; round += 1) {
      log(`round ${round + 1}/${settings.rounds}`);
      // Each round starts one shape later, so no shape always follows the same one.
      const offset = round % all.length;
      for (const shape of [...all.slice(offset), ...all.slice(0, offset)]) {
        await settle(serverPids);
        record(shape.key, await shape.run(settings.seconds));
      }
    }

    log('database statements per request');
    const statementsOf = async (action: () => Promise<unknown>, prepare?: () => Promise<void>) => {
      let least = { statements: Infinity, transactionControl: Infinity };
      for (let i = 0; i < 3; i += 1) {
        await prepare?.();
        const before = await small.client.statements();
        await action();
        const after = await small.client.statements();
        const statements = after.statements - before.statements;
        // The least of three: a background read (the signing-key refresh) only ever adds.
        if (statements < least.statements)
          least = {
            statements,
            transactionControl: after.transactionControl - before.transactionControl,
          };
      }
      return least;
    };
    let changeToken = '';
    let refreshToken = '';
    const statements = {
      signin: await statementsOf(() => small.client.signIn(small.web, 'bench-signin')),
      userinfo: await statementsOf(() =>
        fetch(`${small.server.url}/oauth2/userinfo`, {
          headers: { Authorization: `Bearer ${small.accessToken}` },
        }).then((r) => r.text()),
      ),
      clientCredentials: await statementsOf(() =>
        small.client.token(small.client.clientCredentialsRequest(small.m2m)),
      ),
      refresh: await statementsOf(
        () =>
          small.client.token({
            headers: small.client.clientCredentialsRequest(small.web).headers,
            body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(refreshToken)}`,
          }),
        async () => {
          refreshToken = (await small.client.signIn(small.web, 'bench-signin')).refresh_token ?? '';
        },
      ),
      changeH5: await statementsOf(
        async () => {
          const username = 'bench-change-5';
          const current = passwords.get(username) ?? PASSWORD;
          const next = nextPassword();
          await small.client.change(changeToken, current, next);
          passwords.set(username, next);
        },
        async () => {
          const username = 'bench-change-5';
          const app = small.historyApps.get(5) as Application;
          changeToken = (
            await small.client.signIn(app, username, passwords.get(username) ?? PASSWORD)
          ).access_token;
        },
      ),
    };

    measurements.single.statements = Object.fromEntries(
      Object.entries(statements).map(([k, v]) => [k, v.statements]),
    );
    measurements.single.transactionControl = Object.fromEntries(
      Object.entries(statements).map(([k, v]) => [k, v.transactionControl]),
    );

    log(`sign-in flood: ${settings.floodConnections} connections for ${settings.floodSeconds}s`);
    // Both listeners, probed side by side: the main port and the probe thread's HEALTH_PORT.
    const probeUrls = [`${small.server.url}/health/live`, `${small.healthUrl}/health/live`];
    type ProbeResults = Record<string, { ms: number[]; failed: number }>;
    await settle(serverPids);
    await aux.call({ type: 'probe', urls: probeUrls, intervalMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const idle = await aux.call<ProbeResults>({ type: 'stop' });
    await aux.call({ type: 'probe', urls: probeUrls, intervalMs: 20 });
    const flood = await autocannon(
      small,
      signInRequest(small, 2 * settings.floodConnections),
      settings.floodConnections,
      settings.floodSeconds,
      { checkRetryAfter: true, sampleFailures: true },
    );
    const probes = await aux.call<ProbeResults>({ type: 'stop' });
    const [mainPort, healthPort] = probeUrls;
    measurements.single.flood = {
      signinPerSecond: flood.perSecond,
      requests: flood.requests,
      shed: (flood.statusCodes['503'] ?? 0) + (flood.statusCodes['429'] ?? 0),
      shedWithoutRetryAfter: flood.shedWithoutRetryAfter,
      otherFailures:
        flood.requests -
        (flood.statusCodes['200'] ?? 0) -
        (flood.statusCodes['503'] ?? 0) -
        (flood.statusCodes['429'] ?? 0),
      errors: flood.errors + flood.timeouts,
      rssMB: flood.rssMB,
      signinP99: flood.p99,
      ...percentiles('live', probes[mainPort].ms),
      liveFailed: probes[mainPort].failed,
      ...percentiles('idleLive', idle[mainPort].ms),
      ...percentiles('healthPortLive', probes[healthPort].ms),
      healthPortLiveFailed: probes[healthPort].failed,
      ...percentiles('idleHealthPortLive', idle[healthPort].ms),
    };
    measurements.notes.flood = {
      statusCodes: flood.statusCodes,
      failureSamples: flood.failureSamples,
    };
    if (measurements.single.flood.otherFailures > 0)
      log(`flood: other failures ${JSON.stringify(flood.failureSamples)}`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    if (mysqlDatabases.length > 0) {
      const connection = await createConnection(mysqlServer);
      for (const database of mysqlDatabases)
        await connection.query(`DROP DATABASE \`${database}\``);
      await connection.end();
    }
    rmSync(tmp, { recursive: true, force: true });
  }

  const elapsedSeconds = (performance.now() - runStarted) / 1000;
  const report = buildReport(settings, measurements, elapsedSeconds);
  process.stdout.write(`\n${report.markdown}\n`);
  const resultsDir = join(BENCH_DIR, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(
    resultsDir,
    `${new Date().toISOString().slice(0, 10)}${settings.quick ? '-quick' : ''}${settings.mysql ? '-mysql' : ''}.json`,
  );
  writeFileSync(file, `${JSON.stringify(report.json, null, 2)}\n`);
  log(`wrote ${file} (${elapsedSeconds.toFixed(0)} s in all)`);
}

function percentiles(prefix: string, values: number[]): Record<string, number> {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;
  return {
    [`${prefix}P50`]: at(0.5),
    [`${prefix}P99`]: at(0.99),
    [`${prefix}Max`]: sorted[sorted.length - 1] ?? NaN,
    [`${prefix}Count`]: sorted.length,
  };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
