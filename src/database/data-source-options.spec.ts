import { AdvancedConsoleLogger } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { QueryTimeoutSubscriber } from './query-timeout.subscriber';

const BOUNDS = { connectMs: 1000, acquireMs: 2000, queryMs: 3000, queueLimit: 7 };

describe(dataSourceOptions.name, () => {
  it('should bound every wait on MariaDB with the application’s bounds', async () => {
    const options = dataSourceOptions('mysql://app:s3cret@db.internal:3307/tessera', BOUNDS);
    await expect(Promise.resolve(options)).resolves.toMatchObject({
      type: 'mysql',
      host: 'db.internal',
      port: 3307,
      enableQueryTimeout: true,
      maxQueryExecutionTime: 3000,
      subscribers: [QueryTimeoutSubscriber],
      extra: { connectionLimit: 10, connectTimeout: 1000, queueLimit: 7 },
    });
  });

  it('should leave the migration CLI unbounded', async () => {
    const options = dataSourceOptions('mysql://app@db.internal/tessera');
    await expect(Promise.resolve(options)).resolves.not.toHaveProperty('enableQueryTimeout');
    expect(options).toMatchObject({ extra: { connectionLimit: 10 } });
    expect((options as { extra: object }).extra).not.toHaveProperty('connectTimeout');
  });

  it('should not print a statement that reached the timeout with its parameters', async () => {
    const printed: unknown[] = [];
    const capture = (...args: unknown[]) => void printed.push(...args);
    const spies = [
      jest.spyOn(console, 'log').mockImplementation(capture),
      jest.spyOn(console, 'warn').mockImplementation(capture),
    ];
    const slow = (logger: unknown) =>
      (logger as { logQuerySlow(...args: unknown[]): void }).logQuerySlow(
        3001,
        'UPDATE users SET password_hash = ?',
        ['$2b$12$secret-hash'],
      );
    try {
      // TypeORM's own logger prints it (so the capture works)…
      slow(new AdvancedConsoleLogger(false));
      expect(JSON.stringify(printed)).toContain('secret-hash');
      printed.length = 0;
      // …the application's does not.
      slow(dataSourceOptions('mysql://app@db.internal/tessera', BOUNDS).logger);
      await expect(Promise.resolve(JSON.stringify(printed))).resolves.not.toContain('secret-hash');
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('should keep SQLite as it was', async () => {
    await expect(
      Promise.resolve(dataSourceOptions('sqlite::memory:', BOUNDS)),
    ).resolves.toMatchObject({
      type: 'better-sqlite3',
      database: ':memory:',
    });
  });
});
