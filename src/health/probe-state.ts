/** What the health listener's thread answers from, beside the state in shared memory. */
export interface ReadinessReport {
  status: number;
  body: unknown;
}

/** The thread's start-up data (`workerData`). */
export interface ProbeThreadData {
  host: string;
  port: number;
  maxLagMs: number;
  buffer: SharedArrayBuffer;
}

/**
 * The main thread's state, in memory shared with the health listener's thread: the last
 * heartbeat of the main event loop (ms since the epoch) and whether the process is draining.
 * Written by the main thread, read by the probe thread, both with Atomics.
 */
export class ProbeState {
  private readonly heartbeatMs: BigInt64Array;
  private readonly drainingFlag: Int32Array;

  constructor(readonly buffer = new SharedArrayBuffer(16)) {
    this.heartbeatMs = new BigInt64Array(buffer, 0, 1);
    this.drainingFlag = new Int32Array(buffer, 8, 1);
  }

  beat(now = Date.now()): void {
    Atomics.store(this.heartbeatMs, 0, BigInt(now));
  }

  heartbeat(): number {
    return Number(Atomics.load(this.heartbeatMs, 0));
  }

  markDraining(): void {
    Atomics.store(this.drainingFlag, 0, 1);
  }

  draining(): boolean {
    return Atomics.load(this.drainingFlag, 0) === 1;
  }
}
