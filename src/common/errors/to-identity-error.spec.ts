import Database from 'better-sqlite3';
import { QueryFailedError } from 'typeorm';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailability } from './database-unavailability';
import { IdentityErrorCode } from './identity-error-code';
import { toIdentityError } from './to-identity-error';

const driverError = (code: string, extra: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(`driver said ${code}`), { code, ...extra });

describe(toIdentityError.name, () => {
  describe('database unavailability', () => {
    it.each([
      ['connection refused', driverError('ECONNREFUSED')],
      ['connect timeout', driverError('ETIMEDOUT', { fatal: true })],
      ['connection lost', driverError('PROTOCOL_CONNECTION_LOST', { fatal: true })],
      ['query timeout', driverError('PROTOCOL_SEQUENCE_TIMEOUT')],
      ['pool acquire timeout', driverError('POOL_ACQUIRE_TIMEOUT')],
      ['too many connections', driverError('ER_CON_COUNT_ERROR')],
      ['closed pool', new Error('Pool is closed.')],
      ['full pool queue', new Error('Queue limit reached.')],
      ['closed connection', new Error("Can't add new command when connection is in closed state")],
      ['any fatal mysql2 error', driverError('ER_SOMETHING_NEW', { fatal: true })],
      ['SQLite busy', driverError('SQLITE_BUSY')],
      [
        'a socket error re-wrapped without its code',
        new Error('Error: connect ECONNREFUSED 127.0.0.1:3306'),
      ],
      [
        'an error whose cause is an outage',
        new Error('lookup failed', { cause: driverError('ECONNRESET') }),
      ],
      [
        'a query that failed for one of those reasons',
        new QueryFailedError('SELECT 1', [], driverError('PROTOCOL_CONNECTION_LOST')),
      ],
      [
        'a destroyed data source',
        Object.assign(new Error('not connected'), { name: 'CannotExecuteNotConnectedError' }),
      ],
    ])('should answer SERVICE_BUSY with a retry hint for %s', async (_case, error) => {
      const mapped = toIdentityError(error);
      await expect(Promise.resolve(mapped.code)).resolves.toBe(IdentityErrorCode.SERVICE_BUSY);
      expect(mapped.details.retryAfterSeconds).toBe(DATABASE_RETRY_AFTER_SECONDS);
      expect(typeof mapped.details.database).toBe('string');
    });

    it('should recognise a real SQLITE_BUSY from better-sqlite3', async () => {
      const file = `/tmp/tessera-busy-${process.pid}-${Date.now()}.db`;
      const holder = new Database(file);
      const waiter = new Database(file, { timeout: 1 });
      try {
        holder.exec('CREATE TABLE t (x INTEGER)');
        holder.exec('BEGIN EXCLUSIVE');
        let caught: unknown;
        try {
          waiter.exec('INSERT INTO t VALUES (1)');
        } catch (error) {
          caught = error;
        }
        await expect(Promise.resolve(toIdentityError(caught).code)).resolves.toBe(
          IdentityErrorCode.SERVICE_BUSY,
        );
      } finally {
        holder.close();
        waiter.close();
      }
    });

    it.each([
      ['a duplicate key', driverError('ER_DUP_ENTRY')],
      ['a SQLite constraint', driverError('SQLITE_CONSTRAINT_UNIQUE')],
      [
        'a syntax error in a query',
        new QueryFailedError('SELEC 1', [], driverError('ER_PARSE_ERROR')),
      ],
      ['a plain error', new Error('boom')],
      ['a non-error', 'boom'],
    ])('should leave %s INTERNAL', async (_case, error) => {
      await expect(Promise.resolve(toIdentityError(error).code)).resolves.toBe(
        IdentityErrorCode.INTERNAL,
      );
    });

    it('should name the driver code, never the message, of an outage', async () => {
      const error = driverError('ECONNREFUSED', {
        message: 'connect ECONNREFUSED mysql://root:hunter2@db:3306',
      });
      await expect(Promise.resolve(databaseUnavailability(error))).resolves.toBe('ECONNREFUSED');
    });
  });
});
