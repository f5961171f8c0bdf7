import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

/** A free TCP port on loopback (closed again before the service takes it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** The real `src/main.ts` in a child process, as `npm start` runs it but without a build. */
export interface SpawnedService {
  url: string;
  child: ChildProcess;
  /** What the process wrote, for the failure message. */
  output: () => string;
  /** Resolves with the exit signal or code once the process is gone. */
  exited: Promise<string>;
}

/**
 * Starts `node -r ts-node/register src/main.ts` (transpile only: no type check, so it starts in
 * seconds) and waits until `/health/ready` answers 200, at most `timeoutMs`.
 */
export async function startService(
  env: Record<string, string>,
  timeoutMs: number,
): Promise<SpawnedService> {
  const port = await freePort();
  const chunks: string[] = [];
  const child = spawn(process.execPath, ['-r', 'ts-node/register', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      TS_NODE_TRANSPILE_ONLY: 'true',
      NODE_ENV: 'development',
      LOG_LEVEL: 'error',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const exited = new Promise<string>((done) =>
    child.once('exit', (code, signal) => done(signal ?? String(code))),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline && !gone) {
    const ready = await fetch(`${url}/health/ready`).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ready) return { url, child, output: () => chunks.join(''), exited };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(
    `service not ready within ${timeoutMs} ms (exited: ${gone}):\n${chunks.join('').slice(-4000)}`,
  );
}
