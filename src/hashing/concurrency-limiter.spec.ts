import { ConcurrencyLimiter } from './concurrency-limiter';

const deferred = (): { promise: Promise<void>; resolve: () => void } => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe(ConcurrencyLimiter.name, () => {
  it('should never run more than the limit at once and run queued tasks in order', async () => {
    const limiter = new ConcurrencyLimiter(2, 10);
    const gates = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    let peak = 0;
    const runs = gates.map((gate, index) =>
      limiter.run(async () => {
        started.push(index);
        peak = Math.max(peak, limiter.running);
        await gate.promise;
        return index;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    expect(limiter.queued).toBe(3);
    gates.forEach((gate) => gate.resolve());
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2, 3, 4].map((value) => ({ value })));
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(limiter.running).toBe(0);
  });

  it('should refuse work when the queue is full instead of queueing without bound', async () => {
    const limiter = new ConcurrencyLimiter(1, 1);
    const gate = deferred();
    const first = limiter.run(() => gate.promise);
    const second = limiter.run(async () => 'queued');
    await expect(limiter.run(async () => 'refused')).resolves.toBeUndefined();
    gate.resolve();
    await expect(first).resolves.toEqual({ value: undefined });
    await expect(second).resolves.toEqual({ value: 'queued' });
  });

  it('should free the slot when a task throws', async () => {
    const limiter = new ConcurrencyLimiter(1, 0);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'next')).resolves.toEqual({ value: 'next' });
  });
});
