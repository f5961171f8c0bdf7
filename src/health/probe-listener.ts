import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig } from '../config/app.config';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { ListenError, listenUrl } from '../lifecycle/startup-failure';
import { type ProbeThreadData, ProbeState, type ReadinessReport } from './probe-state';
import { ReadinessCheck } from './readiness.check';

/** How often the main loop proves it runs: well under any lag worth reporting. */
const HEARTBEAT_INTERVAL_MS = 250;
/** How often readiness (a database ping, Redis) is checked for the probe thread. */
const READINESS_INTERVAL_MS = 2_000;

/**
 * With `HEALTH_PORT` set, answers the health probes on that port from a thread of its own
 * (probe-thread.ts), so they stay fast while the main event loop is saturated; the main thread
 * feeds it a heartbeat, the drain and readiness. Without it, nothing starts: the probes are
 * served on `PORT` only, as always (they are on both ports when it is set).
 */
@Injectable()
export class ProbeListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProbeListener.name);
  private readonly state = new ProbeState();
  private worker?: Worker;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly readiness: ReadinessCheck,
    lifecycle: LifecycleService,
  ) {
    lifecycle.onDrain(() => this.state.markDraining());
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.healthPort;
    if (port === undefined) return;
    const host = this.config.host;
    this.state.beat();
    const data: ProbeThreadData = {
      host,
      port,
      maxLagMs: this.config.healthMaxEventLoopLagSeconds * 1000,
      buffer: this.state.buffer,
    };
    // Compiled, the thread is a .js file beside this one; under ts-node or Jest, the .ts source.
    const extension = extname(__filename);
    const worker = new Worker(join(__dirname, `probe-thread${extension}`), {
      workerData: data,
      execArgv: extension === '.ts' ? ['--require', 'ts-node/register/transpile-only'] : [],
    });
    this.worker = worker;
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (message: { type: string; code?: string; message?: string }) => {
        if (message.type === 'listening') resolve();
        else {
          const cause = Object.assign(new Error(message.message), { code: message.code });
          reject(new ListenError(cause, host, port, 'HEALTH_PORT'));
        }
      });
      worker.once('error', reject);
    });
    worker.unref();
    this.timers = [
      setInterval(() => this.state.beat(), HEARTBEAT_INTERVAL_MS),
      setInterval(() => void this.checkReadiness(), READINESS_INTERVAL_MS),
    ];
    for (const timer of this.timers) timer.unref();
    await this.checkReadiness();
    const url = listenUrl(host, port);
    this.logger.log({ url, port }, `Health probes also on ${url} (own thread)`);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private async checkReadiness(): Promise<void> {
    let report: ReadinessReport;
    try {
      report = { status: 200, body: await this.readiness.run() };
    } catch (error: unknown) {
      // terminus rejects with a 503 exception carrying the result.
      const response = (error as { getResponse?: () => unknown }).getResponse?.();
      report = { status: 503, body: response ?? { status: 'error' } };
    }
    this.worker?.postMessage(report);
  }
}
