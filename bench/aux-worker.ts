/**
 * The benchmark's second load process (forked by run.ts, commands over IPC), with the service's
 * `UV_THREADPOOL_SIZE`:
 *  - `bcrypt`: raw `bcrypt.compare` with `concurrency` in flight for `seconds` — the bound a
 *    password sign-in can reach at that cost and concurrency;
 *  - `bcryptLatency`: one compare at a time, `count` times — t_bcrypt;
 *  - `probe`: GET each of `urls` every `intervalMs` (one loop per URL, side by side) on a new
 *    connection each time (no keep-alive), so the latency includes accepting the connection,
 *    until `stop`, which answers the latencies per URL.
 */
import { request } from 'node:http';
import bcrypt from 'bcrypt';

type Command =
  | { id: number; type: 'bcrypt'; cost: number; concurrency: number; seconds: number }
  | { id: number; type: 'bcryptLatency'; cost: number; count: number }
  | { id: number; type: 'probe'; urls: string[]; intervalMs: number }
  | { id: number; type: 'stop' };

const password = 'Bench-Passw0rd-1';
const hashes = new Map<number, string>();
async function hashAt(cost: number): Promise<string> {
  let hash = hashes.get(cost);
  if (!hash) hashes.set(cost, (hash = await bcrypt.hash(password, cost)));
  return hash;
}

async function compareThroughput(cost: number, concurrency: number, seconds: number) {
  const hash = await hashAt(cost);
  const end = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const start = performance.now();
        if (!(await bcrypt.compare(password, hash))) throw new Error('compare failed');
        // Counted only when done within the window, as autocannon counts the service's answers.
        if (performance.now() <= end) latencies.push(performance.now() - start);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    // concurrency ÷ mean latency (Little's law), as the load worker reports sign-ins.
    perSecond:
      latencies.length > 0
        ? concurrency / (latencies.reduce((sum, ms) => sum + ms, 0) / latencies.length / 1000)
        : 0,
    counted: latencies.length / seconds,
    p50: latencies[Math.floor(latencies.length * 0.5)] ?? NaN,
    p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? NaN,
  };
}

async function compareLatency(cost: number, count: number) {
  const hash = await hashAt(cost);
  const latencies: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = performance.now();
    await bcrypt.compare(password, hash);
    latencies.push(performance.now() - start);
  }
  latencies.sort((a, b) => a - b);
  return { p50: latencies[Math.floor(count / 2)] };
}

function getOnce(url: string): Promise<{ status: number; ms: number }> {
  const start = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { agent: false, headers: { Connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start }));
    });
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, ms: performance.now() - start }));
    req.end();
  });
}

interface ProbeResult {
  ms: number[];
  failed: number;
}

let probing: { stop: boolean; done: Promise<Record<string, ProbeResult>> } | undefined;
function startProbe(urls: string[], intervalMs: number): void {
  const state = { stop: false, done: Promise.resolve({} as Record<string, ProbeResult>) };
  const probeLoop = async (url: string): Promise<[string, ProbeResult]> => {
    const ms: number[] = [];
    let failed = 0;
    while (!state.stop) {
      const result = await getOnce(url);
      if (result.status === 200) ms.push(result.ms);
      else failed += 1;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    return [url, { ms, failed }];
  };
  state.done = Promise.all(urls.map(probeLoop)).then((entries) => Object.fromEntries(entries));
  probing = state;
}

async function handle(command: Command): Promise<unknown> {
  switch (command.type) {
    case 'bcrypt':
      return compareThroughput(command.cost, command.concurrency, command.seconds);
    case 'bcryptLatency':
      return compareLatency(command.cost, command.count);
    case 'probe':
      startProbe(command.urls, command.intervalMs);
      return { started: true };
    case 'stop': {
      if (!probing) return {};
      probing.stop = true;
      const result = await probing.done;
      probing = undefined;
      return result;
    }
  }
}

process.on('message', (command: Command) => {
  handle(command).then(
    (result) => process.send?.({ id: command.id, result }),
    (error: unknown) => process.send?.({ id: command.id, error: String(error) }),
  );
});
process.send?.({ ready: true });
