import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { resolve } from 'node:path';
import { basicAuth } from '../../utils/auth-helpers';
import { TEST_ADMIN } from '../../utils/create-test-app';

const ROOT = resolve(__dirname, '../../..');

/** One line the process wrote, when the test received it, and its JSON (undefined if not JSON). */
export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
  json?: Record<string, unknown>;
  receivedAt: number;
}

/**
 * `src/main.ts` in a child process, as production runs it (through ts-node, transpile only: the
 * start is then bound by loading modules, not by type checking), its output kept line by line.
 */
export class ServiceProcess {
  readonly child: ChildProcess;
  readonly lines: OutputLine[] = [];
  readonly spawnedAt = Date.now();
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  readonly exited: Promise<string>;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'development',
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
        DATABASE_URL: 'sqlite::memory:',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      let pending = '';
      this.child[stream]?.on('data', (chunk: Buffer) => {
        pending += chunk.toString('utf8');
        const parts = pending.split('\n');
        pending = parts.pop() ?? '';
        for (const text of parts) if (text.trim() !== '') this.push(stream, text);
      });
      this.child[stream]?.on('end', () => {
        if (pending.trim() !== '') this.push(stream, pending);
        pending = '';
      });
    }
    this.exited = new Promise((done) =>
      this.child.once('close', (code, signal) => done(signal ?? String(code))),
    );
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Everything written, for failure messages. */
  output(): string {
    return this.lines.map((line) => line.text).join('\n');
  }

  /** The first line matching `predicate`, waiting at most `timeoutMs` (or until the exit). */
  async waitForLine(
    predicate: (line: OutputLine) => boolean,
    timeoutMs: number,
  ): Promise<OutputLine> {
    const deadline = Date.now() + timeoutMs;
    let gone = false;
    void this.exited.then(() => (gone = true));
    for (;;) {
      const found = this.lines.find(predicate);
      if (found) return found;
      if (gone || Date.now() > deadline) {
        throw new Error(
          `no matching line within ${timeoutMs} ms (exited: ${gone}):\n${this.output().slice(-4000)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The line carrying `msg` that matches `pattern`. */
  waitForMessage(pattern: RegExp, timeoutMs: number): Promise<OutputLine> {
    return this.waitForLine(
      (line) => typeof line.json?.msg === 'string' && pattern.test(line.json.msg),
      timeoutMs,
    );
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.running) this.child.kill(signal);
  }

  private push(stream: OutputLine['stream'], text: string): void {
    let json: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) json = parsed as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    this.lines.push({ stream, text, json, receivedAt: Date.now() });
  }
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  finishedAt: number;
}

/** One HTTP request through `agent` (keep-alive when the agent keeps connections). */
export function send(
  base: string,
  method: string,
  path: string,
  init: {
    agent?: Agent;
    token?: string;
    basic?: string;
    json?: unknown;
    form?: Record<string, string>;
  } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  if (init.basic) headers.Authorization = init.basic;
  let body: string | undefined;
  if (init.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const url = new URL(path, base);
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(
      url,
      { method, headers, agent: init.agent ?? new Agent({ keepAlive: false }) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown> = {};
          try {
            parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
          } catch {
            parsed = { text };
          }
          resolvePromise({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: parsed,
            finishedAt: Date.now(),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** An administrator token of the bootstrap admin client (TEST_ADMIN). */
export async function adminTokenOf(base: string): Promise<string> {
  const res = await send(base, 'POST', '/oauth2/token', {
    basic: basicAuth(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret),
    form: { grant_type: 'client_credentials', scope: 'admin' },
  });
  if (res.status !== 200) throw new Error(`admin token: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.access_token as string;
}

export const ADMIN_ENV = {
  ADMIN_CLIENT_ID: TEST_ADMIN.clientId,
  ADMIN_CLIENT_SECRET: TEST_ADMIN.clientSecret,
};
