import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createConnection, createServer, type Server } from 'node:net';
import { freePort } from '../security/support/spawned-service';
import { type OutputLine, ServiceProcess } from './support/service-process';

/** Loading the application's modules through ts-node on a busy machine takes a while. */
const LOAD_TIMEOUT_MS = 150_000;
/** From the start of the application (Nest's first line) to the first report of the failure. */
const FIRST_REPORT_MS = 2_000;
const SECRET_KEY = randomBytes(32).toString('hex');
const PASSWORD = `Pw-${randomBytes(6).toString('hex')}`;

const mariadbReachable = (): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port: 3306 });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });

interface Outcome {
  exit: string;
  lines: OutputLine[];
  failure: OutputLine;
  service: ServiceProcess;
}

/** Runs the service to its exit; `failure` is its last line (the one that says why). */
async function runToExit(env: Record<string, string>): Promise<Outcome> {
  const service = new ServiceProcess({ SECRET_KEY, PORT: String(await freePort()), ...env });
  const timer = setTimeout(() => service.kill('SIGKILL'), LOAD_TIMEOUT_MS);
  const exit = await service.exited;
  clearTimeout(timer);
  const failure = service.lines[service.lines.length - 1];
  if (!failure) throw new Error(`no output at all (exit ${exit})`);
  return { exit, lines: service.lines, failure, service };
}

/** What every failing start owes the operator. */
function expectCleanFailure(outcome: Outcome, variable: RegExp): void {
  const { exit, lines, failure, service } = outcome;
  expect({ exit, output: exit === '1' ? '' : service.output() }).toEqual({ exit: '1', output: '' });
  const notJson = lines.filter((line) => line.json === undefined).map((line) => line.text);
  expect(notJson).toEqual([]);
  expect(failure.json).toMatchObject({ level: 60 });
  expect(failure.json?.msg).toMatch(variable);
  expect(service.output()).not.toContain(PASSWORD);
  // No Node stack trace, no Nest text logger.
  expect(service.output()).not.toMatch(/\n\s+at /);
  expect(service.output()).not.toContain(String.fromCharCode(27));
}

function nestStart(outcome: Outcome): number {
  const line = outcome.lines.find((l) => l.json?.msg === 'Starting Nest application...');
  if (!line) throw new Error(`no start line:\n${outcome.service.output()}`);
  return line.json?.time as number;
}

describe('start-up failures', () => {
  it(
    'should report invalid configuration as one line naming the variable, before loading the application',
    async () => {
      const outcome = await runToExit({ BCRYPT_COST: '99', PORT: 'not-a-port' });
      expectCleanFailure(outcome, /BCRYPT_COST/);
      expect(outcome.lines).toHaveLength(1);
      expect(outcome.failure.json?.msg).toMatch(/PORT/);
      expect((outcome.failure.json?.problems as string[]).length).toBeGreaterThanOrEqual(2);
    },
    LOAD_TIMEOUT_MS,
  );

  it.each([
    ['without a database name', `mysql://tessera:${PASSWORD}@127.0.0.1:3306`, /names no database/],
    [
      'with a port out of range',
      `mysql://tessera:${PASSWORD}@127.0.0.1:99999/tessera`,
      /not a valid URL/,
    ],
    ['without a user', `mysql://:${PASSWORD}@127.0.0.1:3306/tessera`, /names no user/],
    ['in another scheme', `postgres://tessera:${PASSWORD}@127.0.0.1/tessera`, /must be sqlite/],
  ])(
    'should refuse a DATABASE_URL %s at once, as one line, password masked',
    async (_case, url, problem) => {
      const outcome = await runToExit({ DATABASE_URL: url });
      expectCleanFailure(outcome, /DATABASE_URL/);
      expect(outcome.lines).toHaveLength(1);
      expect(outcome.failure.json?.msg).toMatch(problem);
    },
    LOAD_TIMEOUT_MS,
  );

  it(
    'should report a database that refuses within a second, retry with backoff, then exit 1',
    async () => {
      const closedPort = await freePort();
      const url = `mysql://tessera:${PASSWORD}@127.0.0.1:${closedPort}/tessera`;
      const outcome = await runToExit({ DATABASE_URL: url, DB_STARTUP_TIMEOUT_SECONDS: '3' });
      expectCleanFailure(outcome, /DATABASE_URL/);
      const started = nestStart(outcome);
      const attempts = outcome.lines.filter((l) => l.json?.context === 'Database');
      expect(attempts.length).toBeGreaterThanOrEqual(2);
      const first = attempts[0].json!;
      expect(first).toMatchObject({ level: 40, code: 'ECONNREFUSED', attempt: 1 });
      expect(first.msg).toContain(
        `DATABASE_URL (mysql://tessera:***@127.0.0.1:${closedPort}/tessera)`,
      );
      expect((first.time as number) - started).toBeLessThan(FIRST_REPORT_MS);
      // Backoff: the pauses grow.
      const pauses = attempts.map((l) => l.json!.retryInMs as number);
      expect(pauses[1]).toBeGreaterThan(pauses[0]);
      // Bounded: gives up after DB_STARTUP_TIMEOUT_SECONDS, not TypeORM's nine retries.
      const gaveUp = outcome.failure.json!;
      expect(gaveUp).toMatchObject({ variable: 'DATABASE_URL', code: 'ECONNREFUSED' });
      expect((gaveUp.time as number) - (first.time as number)).toBeGreaterThanOrEqual(2_500);
      expect((gaveUp.time as number) - (first.time as number)).toBeLessThan(6_000);
      expect(outcome.service.output()).not.toMatch(/Retrying/);
    },
    LOAD_TIMEOUT_MS,
  );

  it(
    'should report an unknown database on the real MariaDB the same way',
    async () => {
      if (!(await mariadbReachable())) {
        console.warn(
          'MariaDB is not reachable on 127.0.0.1:3306; skipping the unknown-database case',
        );
        return;
      }
      const database = `tessera_ops_missing_${randomBytes(4).toString('hex')}`;
      const outcome = await runToExit({
        DATABASE_URL: `mysql://root@127.0.0.1:3306/${database}`,
        DB_STARTUP_TIMEOUT_SECONDS: '1',
      });
      expectCleanFailure(outcome, /DATABASE_URL/);
      const first = outcome.lines.find((l) => l.json?.context === 'Database')!.json!;
      expect(first).toMatchObject({ code: 'ER_BAD_DB_ERROR' });
      expect(first.msg).toContain(database);
      expect((first.time as number) - nestStart(outcome)).toBeLessThan(FIRST_REPORT_MS);
      expect(outcome.failure.json).toMatchObject({ code: 'ER_BAD_DB_ERROR' });
    },
    LOAD_TIMEOUT_MS,
  );

  describe('a taken PORT', () => {
    let holder: Server;
    beforeAll(async () => {
      holder = createServer().listen(0, '127.0.0.1');
      await once(holder, 'listening');
    });
    afterAll(() => holder.close());

    it(
      'should be one line naming PORT and the address, no stack',
      async () => {
        const port = (holder.address() as { port: number }).port;
        const outcome = await runToExit({ PORT: String(port), HOST: '127.0.0.1' });
        expectCleanFailure(outcome, /PORT/);
        expect(outcome.failure.json).toMatchObject({
          variable: 'PORT',
          code: 'EADDRINUSE',
          address: `127.0.0.1:${port}`,
        });
        expect(outcome.failure.json?.msg).toContain(`PORT ${port} is already in use on 127.0.0.1`);
        expect(outcome.lines.filter((l) => (l.json?.level as number) >= 50)).toHaveLength(1);
      },
      LOAD_TIMEOUT_MS,
    );
  });
});
