import type { INestApplication, LoggerService } from '@nestjs/common';
import type { ConnectionDrain } from './connection-drain';
import type { LifecycleService } from './lifecycle.service';

export interface GracefulShutdownOptions {
  /** Seconds the service keeps serving after the signal while readiness answers 503. */
  delaySeconds: number;
  logger: LoggerService;
  exit?: (code: number) => void;
}

/**
 * SIGTERM (and SIGINT) as Kubernetes and load balancers need it:
 * 1. readiness answers 503 at once (liveness stays 200, so the pod is not restarted);
 * 2. the service keeps serving for `delaySeconds`, while endpoints and load balancers stop
 *    sending it traffic;
 * 3. it stops accepting connections and finishes every request in flight, closing keep-alive
 *    connections after their current response;
 * 4. the application closes (database pool, Redis, deliveries under way) and the process exits 0.
 * A second signal exits at once (1), for an impatient Ctrl-C.
 */
export class GracefulShutdown {
  private started = false;

  constructor(
    private readonly app: INestApplication,
    private readonly lifecycle: LifecycleService,
    private readonly drain: ConnectionDrain,
    private readonly options: GracefulShutdownOptions,
  ) {}

  /** Takes over SIGTERM and SIGINT (instead of Nest's shutdown hooks, which close at once). */
  listen(signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): void {
    for (const signal of signals) process.on(signal, () => void this.shutdown(signal));
  }

  async shutdown(signal: NodeJS.Signals): Promise<void> {
    const { logger } = this.options;
    const exit = this.options.exit ?? ((code: number) => process.exit(code));
    if (this.started) {
      logger.warn({ signal }, `${signal} again while draining; exiting now`, 'Lifecycle');
      exit(1);
      return;
    }
    this.started = true;
    try {
      this.lifecycle.beginDrain();
      const { delaySeconds } = this.options;
      logger.log(
        { signal, delaySeconds, inFlight: this.drain.pending },
        `${signal}: readiness answers 503; serving for ${delaySeconds} s more before closing the listener`,
        'Lifecycle',
      );
      await new Promise((resolve) => setTimeout(resolve, delaySeconds * 1000));
      logger.log(
        { inFlight: this.drain.pending },
        'Stopped accepting connections; finishing the requests in flight',
        'Lifecycle',
      );
      await this.drain.close();
      logger.log('Every request answered; closing the database pool', 'Lifecycle');
      await this.app.close();
      logger.log({ signal }, 'Shut down cleanly', 'Lifecycle');
      exit(0);
    } catch (error) {
      logger.error({ err: error, signal }, 'Shutdown failed', 'Lifecycle');
      exit(1);
    }
  }
}
