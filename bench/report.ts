/**
 * Turns the samples of a run into the table (markdown, pasted into the README's Performance
 * section) and the JSON written to bench/results/. A ratio is the median of its per-round ratios
 * (both sides measured in the same round), with the range of those ratios beside it.
 */
export interface Settings {
  quick: boolean;
  mysql: boolean;
  build: 'auto' | 'always' | 'never';
  seconds: number;
  warmupSeconds: number;
  rounds: number;
  costs: number[];
  concurrencies: number[];
  cheapConnections: number;
  peerSignInConcurrency: number;
  smallUsers: number;
  largeUsers: number;
  changeSamples: number;
  historyCounts: number[];
  floodConnections: number;
  floodSeconds: number;
  logLevel: string | undefined;
  cpus: number;
  uvThreadpoolSize: string;
  bcryptConcurrency: string | undefined;
}

export interface Measurements {
  /** Per shape, one record per round (perSecond, p50, p99, rssMB, …). */
  samples: Record<string, Array<Record<string, number>>>;
  /** Measured once: start → ready, statements per request, the flood. */
  single: Record<string, Record<string, number>>;
  /** Status codes and the first body of each failure status, for the JSON only. */
  notes: Record<string, unknown>;
}

interface Row {
  figure: string;
  tessera: string;
  baseline: string;
  ratio: string;
  goal: string;
  met: boolean | null;
  value?: number;
}

const KEYCLOAK_PER_VCPU = 120;

function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function number(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const places = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toLocaleString('en-US', {
    minimumFractionDigits: places,
    maximumFractionDigits: places,
  });
}

export function buildReport(
  settings: Settings,
  measurements: Measurements,
  elapsedSeconds: number,
): { markdown: string; json: unknown } {
  const { samples, single } = measurements;
  const values = (key: string, metric: string): number[] =>
    (samples[key] ?? []).map((s) => s[metric]);
  const mid = (key: string, metric: string): number => median(values(key, metric));
  const peak = (key: string): number => Math.max(...values(key, 'rssMB').filter(Number.isFinite));
  /** Median with its spread, e.g. `33.1 ±2%`. */
  const spread = (key: string, metric: string, unit = ''): string => {
    const all = values(key, metric).filter(Number.isFinite);
    const m = median(all);
    if (all.length < 2 || !Number.isFinite(m) || m === 0) return `${number(m)}${unit}`;
    const half = ((Math.max(...all) - Math.min(...all)) / 2 / m) * 100;
    return `${number(m)}${unit} ±${half.toFixed(0)}%`;
  };
  /** Median of per-round ratios a/b, and their range. */
  const ratio = (a: string, am: string, b: string, bm: string) => {
    const left = values(a, am);
    const right = values(b, bm);
    const perRound = left
      .map((v, i) => v / right[i])
      .filter((v) => Number.isFinite(v))
      .sort((x, y) => x - y);
    const m = median(perRound);
    const range =
      perRound.length > 1
        ? ` (${number(perRound[0], m < 0.1 ? 3 : 2)}–${number(perRound[perRound.length - 1], m < 0.1 ? 3 : 2)})`
        : '';
    return { value: m, text: `${number(m, m < 0.1 ? 3 : 2)}${range}` };
  };
  const latency = (key: string) =>
    `p50 ${number(mid(key, 'p50'), 0)} ms, p99 ${number(mid(key, 'p99'), 0)} ms`;

  const rows: Row[] = [];
  const add = (row: Row) => rows.push(row);

  // 1. Sign-in against raw bcrypt.
  for (const cost of settings.costs) {
    for (const c of settings.concurrencies) {
      const key = `signin.c${c}.cost${cost}`;
      const raw = `bcrypt.c${c}.cost${cost}`;
      const r = ratio(key, 'perSecond', raw, 'perSecond');
      add({
        figure: `password sign-ins/s, cost ${cost}, concurrency ${c}`,
        tessera: `${spread(key, 'perSecond')} (${latency(key)})`,
        baseline: `raw bcrypt.compare ${spread(raw, 'perSecond')} (${latency(raw)})`,
        ratio: r.text,
        goal: '≥ 0.95',
        met: r.value >= 0.95,
        value: r.value,
      });
    }
  }

  // 2. and 3. Cheap requests against the bare server under the same load.
  const cheap: Array<[string, string, string, string, number]> = [
    ['clientCredentials', 'client_credentials grants/s', 'bare.post', 'bare POST', 0.1],
    ['refresh', 'refresh grants/s', 'bare.post', 'bare POST', 0.1],
    ['userinfo', 'GET /oauth2/userinfo/s', 'bare.get', 'bare GET', 0.15],
  ];
  for (const [key, label, bare, bareLabel, goal] of cheap) {
    const r = ratio(key, 'perSecond', bare, 'perSecond');
    add({
      figure: `${label}, ${settings.cheapConnections} connections`,
      tessera: `${spread(key, 'perSecond')} (${latency(key)})`,
      baseline: `${bareLabel} ${spread(bare, 'perSecond')}`,
      ratio: r.text,
      goal: `≥ ${goal}`,
      met: r.value >= goal,
      value: r.value,
    });
  }
  // The same against the framework's floor: what NestJS on Express costs for an empty route,
  // before any work of the service. Shows how much of the gap to the bare server is the framework.
  if (samples['floor.get'] && samples['floor.post']) {
    for (const [floor, bare, label] of [
      ['floor.post', 'bare.post', 'POST'],
      ['floor.get', 'bare.get', 'GET'],
    ]) {
      const r = ratio(floor, 'perSecond', bare, 'perSecond');
      add({
        figure: `framework floor: NestJS on Express, an empty ${label} route`,
        tessera: `${spread(floor, 'perSecond')}/s`,
        baseline: `bare ${label} ${spread(bare, 'perSecond')}`,
        ratio: r.text,
        goal: '',
        met: null,
        value: r.value,
      });
    }
    for (const [key, label, floor] of cheap.map(([k, l, b]) => [
      k,
      l,
      b.replace('bare', 'floor'),
    ])) {
      const r = ratio(key, 'perSecond', floor, 'perSecond');
      add({
        figure: `${label} ÷ the framework floor`,
        tessera: `${spread(key, 'perSecond')}`,
        baseline: `empty Nest route ${spread(floor, 'perSecond')}`,
        ratio: r.text,
        goal: '',
        met: null,
        value: r.value,
      });
    }
  }
  for (const [key, label] of [
    ['clientCredentials', 'client_credentials'],
    ['refresh', 'refresh'],
  ]) {
    const perVcpu = mid(key, 'perSecond') / settings.cpus;
    add({
      figure: `${label} per vCPU (${settings.cpus} vCPUs, shared with the load generator)`,
      tessera: `${number(perVcpu)}/s`,
      baseline: `Keycloak's published ${KEYCLOAK_PER_VCPU}/s/vCPU`,
      ratio: number(perVcpu / KEYCLOAK_PER_VCPU),
      goal: '',
      met: null,
      value: perVcpu / KEYCLOAK_PER_VCPU,
    });
  }

  // 4. Change against one bcrypt compare.
  const bcryptP50 = 'bcrypt.latency.cost10';
  for (const n of settings.historyCounts) {
    const key = `change.h${n}`;
    const bound = n === 0 ? 2.3 : 1.2 * (1 + (n + 1) / settings.cpus);
    const r = ratio(key, 'p50', bcryptP50, 'p50');
    add({
      figure: `self-service change, history ${n}: p50`,
      tessera: `${spread(key, 'p50', ' ms')}`,
      baseline: `one bcrypt.compare ${spread(bcryptP50, 'p50', ' ms')}`,
      ratio: r.text,
      goal: `≤ ${number(bound)}`,
      met: r.value <= bound,
      value: r.value,
    });
  }

  // 5. Memory and start-up.
  const rssLoads: Array<[string, string]> = [
    ['signin.c8.cost10', 'sign-ins (concurrency 8)'],
    ['clientCredentials', 'client_credentials'],
    ['refresh', 'refresh'],
    ['userinfo', 'userinfo'],
  ];
  const peerRss = `Better Auth: sign-ins ${number(peak('peer.signin'), 0)} MB, get-session ${number(peak('peer.getSession'), 0)} MB; bare ${number(Math.max(peak('bare.get'), peak('bare.post')), 0)} MB`;
  for (const [key, label] of rssLoads) {
    const value = peak(key);
    add({
      figure: `peak RSS under ${label}`,
      tessera: `${number(value, 0)} MB`,
      baseline: key === 'signin.c8.cost10' ? peerRss : '',
      ratio: '',
      goal: '≤ 200 MB',
      met: value <= 200,
      value,
    });
  }
  const flood = single.flood ?? {};
  add({
    figure: `peak RSS under the sign-in flood`,
    tessera: `${number(flood.rssMB, 0)} MB`,
    baseline: '',
    ratio: '',
    goal: '≤ 200 MB',
    met: flood.rssMB <= 200,
    value: flood.rssMB,
  });
  const start = single.startReady ?? {};
  add({
    figure: `start → ready (restart; first start with migrations)`,
    tessera: `${number(start.tesseraRestart, 0)} ms (${number(start.tesseraFirst, 0)} ms)`,
    baseline: `Better Auth ${number(start.peerRestart, 0)} ms (${number(start.peerFirst, 0)} ms)`,
    ratio: number(start.tesseraRestart / start.peerRestart),
    goal: '',
    met: null,
    value: start.tesseraRestart / start.peerRestart,
  });

  // 6. Scale.
  const users = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
  const scaleNote = `${users(settings.largeUsers)} vs ${users(settings.smallUsers)} users`;
  const scaleSignin = ratio('large.signin.c2', 'p50', 'scale.signin.c2', 'p50');
  add({
    figure: `sign-in p50 (concurrency 2), ${scaleNote}`,
    tessera: `${spread('large.signin.c2', 'p50', ' ms')}`,
    baseline: `${spread('scale.signin.c2', 'p50', ' ms')}`,
    ratio: scaleSignin.text,
    goal: '≤ 1.1',
    met: scaleSignin.value <= 1.1,
    value: scaleSignin.value,
  });
  const scaleUserinfo = ratio('scale.userinfo', 'perSecond', 'large.userinfo', 'perSecond');
  add({
    figure: `userinfo/s, ${scaleNote} (slowdown)`,
    tessera: `${spread('large.userinfo', 'perSecond')}`,
    baseline: `${spread('scale.userinfo', 'perSecond')}`,
    ratio: scaleUserinfo.text,
    goal: '≤ 1.1',
    met: scaleUserinfo.value <= 1.1,
    value: scaleUserinfo.value,
  });
  const st = single.statements ?? {};
  const tx = single.transactionControl ?? {};
  const count = (key: string) => `${st[key]}${tx[key] ? ` (${tx[key]} BEGIN/COMMIT)` : ''}`;
  add({
    figure: 'database statements per request',
    tessera: `sign-in ${count('signin')}, userinfo ${count('userinfo')}, client_credentials ${count('clientCredentials')}, refresh ${count('refresh')}, change with history 5 ${count('changeH5')}`,
    baseline: '',
    ratio: '',
    goal: '',
    met: null,
  });

  // 7. The peer.
  const c = settings.peerSignInConcurrency;
  const peerSignin = ratio(`signin.c${c}.cost10`, 'perSecond', 'peer.signin', 'perSecond');
  add({
    figure: `sign-ins/s vs Better Auth (cost 10, concurrency ${c})`,
    tessera: spread(`signin.c${c}.cost10`, 'perSecond'),
    baseline: `Better Auth ${spread('peer.signin', 'perSecond')} (${latency('peer.signin')})`,
    ratio: peerSignin.text,
    goal: '≥ 1',
    met: peerSignin.value >= 1,
    value: peerSignin.value,
  });
  const peerChange = ratio('change.h0', 'p50', 'peer.change', 'p50');
  add({
    figure: 'change p50 vs Better Auth (history 0; Better Auth keeps no history)',
    tessera: spread('change.h0', 'p50', ' ms'),
    baseline: `Better Auth ${spread('peer.change', 'p50', ' ms')}`,
    ratio: peerChange.text,
    goal: '≤ 1',
    met: peerChange.value <= 1,
    value: peerChange.value,
  });
  const peerSession = ratio('userinfo', 'perSecond', 'peer.getSession', 'perSecond');
  add({
    figure: `userinfo/s vs Better Auth get-session/s (${settings.cheapConnections} connections)`,
    tessera: spread('userinfo', 'perSecond'),
    baseline: `Better Auth ${spread('peer.getSession', 'perSecond')}`,
    ratio: peerSession.text,
    goal: '≥ 1',
    met: peerSession.value >= 1,
    value: peerSession.value,
  });

  // 8. The flood.
  const normal = mid('signin.c8.cost10', 'perSecond');
  add({
    figure: `sign-ins/s during a ${settings.floodConnections}-connection flood`,
    tessera: `${number(flood.signinPerSecond)}`,
    baseline: `concurrency 8 ${number(normal)}`,
    ratio: number(flood.signinPerSecond / normal),
    goal: '',
    met: null,
    value: flood.signinPerSecond / normal,
  });
  add({
    figure: 'flood: excess shed with 503/429 + Retry-After',
    tessera: `${flood.shed} of ${flood.requests} shed, ${flood.shedWithoutRetryAfter} without Retry-After; ${flood.otherFailures} other non-2xx, ${flood.errors} socket errors/timeouts`,
    baseline: '',
    ratio: '',
    goal: 'all shed carry Retry-After',
    met: flood.shed > 0 && flood.shedWithoutRetryAfter === 0,
  });
  // Probed side by side on both listeners: the main event loop's PORT, the probe thread's port.
  for (const [prefix, where] of [
    ['live', 'PORT (main event loop)'],
    ['healthPortLive', 'HEALTH_PORT (probe thread)'],
  ]) {
    const idle = `idle${prefix[0].toUpperCase()}${prefix.slice(1)}`;
    const p99 = flood[`${prefix}P99`];
    add({
      figure: `GET /health/live on ${where} during the flood (new connection each)`,
      tessera: `p50 ${number(flood[`${prefix}P50`], 0)} ms, p99 ${number(p99, 0)} ms, max ${number(flood[`${prefix}Max`], 0)} ms (${flood[`${prefix}Count`]} probes, ${flood[`${prefix}Failed`]} failed)`,
      baseline: `idle p50 ${number(flood[`${idle}P50`], 0)} ms, p99 ${number(flood[`${idle}P99`], 0)} ms`,
      ratio: '',
      goal: 'p99 ≤ 100 ms',
      met: p99 <= 100 && flood[`${prefix}Failed`] === 0,
      value: p99,
    });
  }

  const header =
    `Tessera benchmark${settings.quick ? ' (--quick)' : ''}: ${settings.mysql ? 'MariaDB' : 'SQLite file'}, ` +
    `NODE_ENV=production, LOG_LEVEL ${settings.logLevel ?? 'default (info)'}, ${settings.cpus} CPUs, ` +
    `UV_THREADPOOL_SIZE ${settings.uvThreadpoolSize}, BCRYPT_CONCURRENCY ${settings.bcryptConcurrency ?? 'default (CPU count)'}, ` +
    `node ${process.version}; median of ${settings.rounds} interleaved rounds × ${settings.seconds} s ` +
    `(±: half the range), ratios per round; ${number(elapsedSeconds, 0)} s in all.`;
  const mark = (met: boolean | null) => (met === null ? '' : met ? 'yes' : '**no**');
  const table = [
    '| figure | Tessera | baseline (same run) | ratio | goal | met |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.figure} | ${r.tessera} | ${r.baseline} | ${r.ratio} | ${r.goal} | ${mark(r.met)} |`,
    ),
  ].join('\n');
  const goals = rows.filter((r) => r.met !== null);
  const summary = `Goals met: ${goals.filter((r) => r.met).length} of ${goals.length}.`;
  return {
    markdown: `${header}\n\n${table}\n\n${summary}\n`,
    json: {
      date: new Date().toISOString(),
      node: process.version,
      elapsedSeconds,
      settings,
      rows,
      single,
      notes: measurements.notes,
      samples,
    },
  };
}
