import { closeSync, mkdtempSync, openSync, readFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { asyncLogDestination, endAsyncLogDestinations } from './pending-logs';

describe('endAsyncLogDestinations', () => {
  it('should let a synchronous line written afterwards be the last one, after every queued line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tessera-logs-')), 'out.log');
    const fd = openSync(file, 'a');
    const logger = pino({ base: undefined, timestamp: false }, asyncLogDestination(fd));
    // Enough lines that some are still queued or in flight in the thread pool when we stop.
    for (let i = 0; i < 2_000; i += 1) logger.info({ i }, 'queued');
    await endAsyncLogDestinations();
    // Another descriptor on the same file (appending), as the bootstrap logger has its own.
    const other = openSync(file, 'a');
    writeSync(other, '{"msg":"last"}\n');
    closeSync(other);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2_001);
    expect(lines[lines.length - 1]).toBe('{"msg":"last"}');
    expect(JSON.parse(lines[lines.length - 2])).toMatchObject({ i: 1_999 });
  });

  it('should resolve at once when nothing was created', async () => {
    await expect(endAsyncLogDestinations(50)).resolves.toBeUndefined();
  });
});
