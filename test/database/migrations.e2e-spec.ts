import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { runMigrationsWithLock } from '../../src/database/migration-runner';
import { MIGRATIONS } from '../../src/database/migrations';
import { uniqueName } from '../utils/unique';

const mysqlUrl = process.env.DATABASE_URL?.startsWith('mysql')
  ? process.env.DATABASE_URL
  : undefined;

/** A fresh, empty database for one test: a temp SQLite file, or a new MySQL schema dropped afterwards. */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!mysqlUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-migrations-'));
    return {
      url: `sqlite:${join(dir, 'db.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = uniqueName('tessera_mig_').replace(/[^a-z0-9_]/gi, '_');
  const server = new URL(mysqlUrl);
  server.pathname = '/';
  const admin = await new DataSource({
    ...dataSourceOptions(`${server.toString()}mysql`),
    migrations: [],
  }).initialize();
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  server.pathname = `/${name}`;
  return {
    url: server.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.destroy();
    },
  };
}

describe('Migrations', () => {
  it('should run up, down and up again', async () => {
    const db = await freshDatabase();
    const dataSource = await new DataSource(dataSourceOptions(db.url)).initialize();
    try {
      expect(await runMigrationsWithLock(dataSource)).toHaveLength(MIGRATIONS.length);
      for (let i = 0; i < MIGRATIONS.length; i += 1) await dataSource.undoLastMigration();
      expect(await dataSource.query('SELECT COUNT(*) AS n FROM tessera_migrations')).toEqual([
        { n: expect.anything() },
      ]);
      expect(await runMigrationsWithLock(dataSource)).toHaveLength(MIGRATIONS.length);
      expect(await runMigrationsWithLock(dataSource)).toEqual([]);
    } finally {
      await dataSource.destroy();
      await db.drop();
    }
  });

  it('should migrate exactly once when three replicas start together on one empty database', async () => {
    const db = await freshDatabase();
    const replicas = await Promise.all(
      [1, 2, 3].map(() => new DataSource(dataSourceOptions(db.url)).initialize()),
    );
    try {
      const applied = await Promise.all(replicas.map((replica) => runMigrationsWithLock(replica)));
      const appliedCounts = applied.map((names) => names.length).sort();
      expect(appliedCounts).toEqual([0, 0, MIGRATIONS.length]);
      const rows: Array<{ name: string }> = await replicas[0].query(
        'SELECT name FROM tessera_migrations',
      );
      expect(rows.map((r) => r.name).sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
    } finally {
      await Promise.all(replicas.map((replica) => replica.destroy()));
      await db.drop();
    }
  });
});
