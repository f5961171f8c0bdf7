import { Injectable } from '@nestjs/common';

/**
 * Where the process is in its life: serving, or draining after SIGTERM. Readiness reads it, so
 * load balancers stop sending new requests while those already sent are still served.
 */
@Injectable()
export class LifecycleService {
  private drainingSince?: Date;
  private readonly drainListeners: Array<() => void> = [];

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /** Idempotent: a second signal does not restart the drain. */
  beginDrain(now = new Date()): void {
    if (this.drainingSince) return;
    this.drainingSince = now;
    for (const listener of this.drainListeners) listener();
  }

  /** Called once, when the drain begins (the probe listener's readiness turns 503 at once too). */
  onDrain(listener: () => void): void {
    this.drainListeners.push(listener);
  }
}
