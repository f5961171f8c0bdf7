import { Injectable } from '@nestjs/common';

/**
 * Where the process is in its life: serving, or draining after SIGTERM. Readiness reads it, so
 * load balancers stop sending new requests while those already sent are still served.
 */
@Injectable()
export class LifecycleService {
  private drainingSince?: Date;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /** Idempotent: a second signal does not restart the drain. */
  beginDrain(now = new Date()): void {
    this.drainingSince ??= now;
  }
}
