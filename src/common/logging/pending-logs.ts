import type { DestinationStream } from 'pino';
import pino from 'pino';

/** A log destination that writes asynchronously, through libuv's thread pool. */
type AsyncDestination = ReturnType<typeof pino.destination>;

const asyncDestinations = new Set<AsyncDestination>();

/**
 * A file descriptor (standard output by default) written asynchronously (pino's default, kept for
 * throughput), and remembered so that a failing process can wait for it (`endAsyncLogDestinations`).
 */
export function asyncLogDestination(fd = 1): DestinationStream {
  // pino's own default: when something has replaced `process.stdout.write` (a log shipper's
  // hook, a test capturing the logs), write through it instead of around it.
  const stdout = process.stdout as NodeJS.WriteStream & { constructor: { prototype: unknown } };
  if (fd === 1 && stdout.write !== (stdout.constructor.prototype as typeof stdout).write)
    return process.stdout;
  const destination = pino.destination({ dest: fd, sync: false });
  asyncDestinations.add(destination);
  return destination;
}

/**
 * Resolves once every asynchronous destination has written what it holds, including a write
 * already handed to the thread pool, and stopped. Flushing in an `exit` handler (what pino does)
 * is not enough: such a write can still land after a synchronous one made there, so a failure
 * reason written then is not reliably the last line. `end()` waits for it and leaves standard
 * output open. Bounded by `timeoutMs`, because a stuck stdout must not keep a failed process
 * alive; the timer also keeps the event loop alive until then.
 */
export function endAsyncLogDestinations(timeoutMs = 1_000): Promise<void> {
  const ends = [...asyncDestinations].map(
    (destination) =>
      new Promise<void>((done) => {
        destination.once('close', () => done());
        destination.once('error', () => done());
        destination.end();
      }),
  );
  asyncDestinations.clear();
  return new Promise((done) => {
    const timer = setTimeout(done, timeoutMs);
    void Promise.all(ends).then(() => {
      clearTimeout(timer);
      done();
    });
  });
}
