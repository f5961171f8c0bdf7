/**
 * The processes of a benchmark run: the service, its peer and the bare server as separate
 * processes, and two workers (load generator, raw bcrypt and probes) driven over IPC. Helpers are
 * TypeScript compiled to JavaScript before the run (into the run's temporary directory, found by
 * NODE_PATH, and the peer's beside its node_modules), so no process carries ts-node and no
 * compiled file lands where lint or git would see it.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import ts from 'typescript';

export const BENCH_DIR = __dirname;
export const ROOT_DIR = dirname(__dirname);

/** Compiles one helper with the project's settings: CommonJS, or an ES module for the peer. */
export function compileHelper(source: string, output: string, esm = false): string {
  const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
    compilerOptions: {
      module: esm ? ts.ModuleKind.ES2022 : ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      // The framework-floor server is a Nest application (legacy decorators, as the service's).
      experimentalDecorators: true,
    },
    fileName: source,
  });
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, outputText);
  return output;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A server process: its pid, how long it took to answer `readyPath` with 200, and its output. */
export interface ServerProcess {
  name: string;
  child: ChildProcess;
  port: number;
  url: string;
  readyMs: number;
  stop(): Promise<void>;
}

/**
 * Spawns `node …args` and polls `readyPath` every 10 ms until it answers 200: start → ready is the
 * time from spawn to that answer. Output is kept (the last 8 kB) for the error message only.
 */
export async function startServer(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
  readyPath: string,
  timeoutMs = 120_000,
): Promise<ServerProcess> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-8192);
  };
  // Drained, never parsed: production logs cost what they cost, and a full pipe would stall it.
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.on('exit', () => (exited = true));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (exited) throw new Error(`${name} exited before it was ready:\n${output}`);
    if (performance.now() - started > timeoutMs)
      throw new Error(`${name} not ready in ${timeoutMs} ms:\n${output}`);
    try {
      const res = await fetch(url + readyPath);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
  const readyMs = performance.now() - started;
  return {
    name,
    child,
    port,
    url,
    readyMs,
    stop: () => stopChild(child),
  };
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A forked worker that answers `{id, result | error}` to each `{id, type, …}` command. */
export class Worker {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();

  private constructor(readonly child: ChildProcess) {
    child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
      const call = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!call || message.id === undefined) return;
      this.pending.delete(message.id);
      if (message.error !== undefined) call.reject(new Error(message.error));
      else call.resolve(message.result);
    });
    child.on('exit', (code) => {
      for (const call of this.pending.values()) call.reject(new Error(`worker exited (${code})`));
      this.pending.clear();
    });
  }

  static start(script: string, env: NodeJS.ProcessEnv): Promise<Worker> {
    const child = fork(script, [], { cwd: ROOT_DIR, env, stdio: 'inherit' });
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve(new Worker(child)));
      child.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
    });
  }

  call<T>(command: Record<string, unknown>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...command, id });
    });
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}

/**
 * Peak resident memory of a process over one load: the kernel's high-water mark (VmHWM), reset
 * first through clear_refs where the kernel allows it, and otherwise the largest VmRSS sampled
 * every 50 ms — whichever is higher.
 */
export class RssWatch {
  private peakKb = 0;
  private hwmReset = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
      this.hwmReset = true;
    } catch {
      // not allowed here: sampling alone (VmHWM would be the peak since the process started)
    }
    this.sample();
    this.timer = setInterval(() => this.sample(), 50);
  }

  private read(field: 'VmRSS' | 'VmHWM'): number {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) : 0;
    } catch {
      return 0;
    }
  }

  private sample(): void {
    this.peakKb = Math.max(this.peakKb, this.read('VmRSS'));
  }

  /** Peak in MB. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return Math.max(this.peakKb, this.hwmReset ? this.read('VmHWM') : 0) / 1024;
  }
}

/** CPU time (user + system) a process has used, in ms; 0 once it is gone. */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/**
 * Waits until the processes are idle (under 10 % of a core over 200 ms, at most `maxMs`): requests
 * a load left in flight — a queue of sign-ins still hashing — must not run into the next
 * measurement.
 */
export async function settle(pids: number[], maxMs = 5000): Promise<void> {
  const deadline = performance.now() + maxMs;
  let before = pids.map(cpuMs);
  while (performance.now() < deadline) {
    await sleep(200);
    const now = pids.map(cpuMs);
    const busiest = Math.max(...now.map((ms, i) => ms - before[i]));
    before = now;
    if (busiest < 20) return;
  }
}
