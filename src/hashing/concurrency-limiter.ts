/**
 * A counting semaphore with a bounded queue. bcrypt runs on libuv's thread pool; unbounded
 * concurrent hashes would starve every other pool user (fs, dns, crypto) and queue requests
 * until their clients time out. Past `maxQueue` waiters, `run` rejects at once so the caller can
 * answer 503 with Retry-After instead.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(
    private readonly maxConcurrent: number,
    private readonly maxQueue: number,
  ) {}

  get queued(): number {
    return this.waiters.length;
  }

  get running(): number {
    return this.active;
  }

  /** Every slot busy and the queue full: `run` would refuse a task now. */
  get saturated(): boolean {
    return this.active >= this.maxConcurrent && this.waiters.length >= this.maxQueue;
  }

  /** Runs `task` when a slot is free; returns undefined without running it when the queue is full. */
  async run<T>(task: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (this.active >= this.maxConcurrent) {
      if (this.waiters.length >= this.maxQueue) return undefined;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    } else {
      this.active += 1;
    }
    try {
      return { value: await task() };
    } finally {
      const next = this.waiters.shift();
      // The slot passes straight to the next waiter, so `active` stays the same.
      if (next) next();
      else this.active -= 1;
    }
  }
}
