/**
 * The load generator (forked by run.ts, commands over IPC), so that autocannon never shares an
 * event loop or a core's time slice accounting with the service it drives.
 *
 * `load` runs autocannon for `seconds` with `connections` keep-alive connections and answers
 * 2xx/s, latency percentiles and the status codes. With `rotateRefreshTokens`, every request
 * takes a refresh token from a pool and puts the rotated one back (a refresh token is good for
 * one use); with `bodies`, requests take them in turn; with `checkRetryAfter`, 429/503 answers are checked for a `Retry-After` header.
 */
import autocannon from 'autocannon';

interface LoadCommand {
  id: number;
  type: 'load';
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Bodies to send in turn instead of `body` (sign-ins spread over many users). */
  bodies?: string[];
  connections: number;
  seconds: number;
  /** Refresh tokens to add to the pool before the run (`grant_type=refresh_token` bodies). */
  refreshTokens?: string[];
  checkRetryAfter?: boolean;
  /** Keep the first body of each non-2xx status (cheap only at sign-in rates). */
  sampleFailures?: boolean;
}

export interface LoadResult {
  perSecond: number;
  littlePerSecond: number;
  requests: number;
  p50: number;
  p99: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  shedWithoutRetryAfter: number;
  refreshPool: number;
  failureSamples: Record<string, string>;
}

const refreshPool: string[] = [];

async function load(command: LoadCommand): Promise<LoadResult> {
  refreshPool.push(...(command.refreshTokens ?? []));
  let shedWithoutRetryAfter = 0;
  const failureSamples: Record<string, string> = {};
  const rotating = command.body?.includes('{refresh_token}') ?? false;
  const request: autocannon.Request = {
    method: command.method,
    headers: command.headers,
    body: command.body,
  };
  const { bodies } = command;
  if (bodies && bodies.length > 0) {
    let next = 0;
    request.body = bodies[0];
    request.setupRequest = (req) => ({ ...req, body: bodies[next++ % bodies.length] });
  }
  if (rotating) {
    request.setupRequest = (req) => {
      const token = refreshPool.shift();
      if (!token) throw new Error('refresh token pool is empty');
      return {
        ...req,
        body: command.body?.replace('{refresh_token}', encodeURIComponent(token)),
      };
    };
  }
  if (rotating || command.checkRetryAfter || command.sampleFailures) {
    request.onResponse = (status, body, _context, headers = {}) => {
      if (rotating && status === 200)
        refreshPool.push((JSON.parse(body) as { refresh_token: string }).refresh_token);
      // Raw header names, as the server wrote them.
      if (
        (status === 429 || status === 503) &&
        !Object.keys(headers).some((name) => name.toLowerCase() === 'retry-after')
      )
        shedWithoutRetryAfter += 1;
      if (command.sampleFailures && (status < 200 || status > 299))
        failureSamples[status] ??= body.slice(0, 200);
    };
  }
  const result = await autocannon({
    url: command.url,
    connections: command.connections,
    duration: command.seconds,
    requests: [request],
    timeout: 30,
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = stats.count;
  const total = result.requests.total;
  return {
    perSecond: result['2xx'] / command.seconds,
    // Little's law for a closed loop: each connection always has one request out, so the rate is
    // connections ÷ mean latency. A 1.5 s window holds only a few dozen sign-ins, and counting
    // them is coarse; this is not.
    littlePerSecond:
      total > 0
        ? (command.connections / (result.latency.average / 1000)) * (result['2xx'] / total)
        : 0,
    requests: total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    shedWithoutRetryAfter,
    refreshPool: refreshPool.length,
    failureSamples,
  };
}

process.on('message', (command: LoadCommand) => {
  load(command).then(
    (result) => process.send?.({ id: command.id, result }),
    (error: unknown) => process.send?.({ id: command.id, error: String(error) }),
  );
});
process.send?.({ ready: true });
