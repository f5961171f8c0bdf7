import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import {
  revertLastMigrationWithLock,
  runMigrationsWithLock,
} from '../../src/database/migration-runner';
import { MIGRATIONS } from '../../src/database/migrations';
import { uniqueName } from '../utils/unique';

const mysqlUrl = /^(mysql|mariadb):/.test(process.env.DATABASE_URL ?? '')
  ? process.env.DATABASE_URL
  : undefined;
const MIGRATIONS_TABLE = 'tessera_migrations';

interface FreshDatabase {
  url: string;
  drop: () => Promise<void>;
}

/**
 * A fresh, empty database per test, so these tests neither see nor disturb the schema other suites
 * share: a temporary SQLite file, or a new schema on the MySQL server of DATABASE_URL.
 */
async function freshDatabase(): Promise<FreshDatabase> {
  if (!mysqlUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-migrations-'));
    return {
      url: `sqlite:${join(dir, 'db.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = uniqueName('tessera_mig_').replace(/[^a-z0-9_]/gi, '_');
  // The database of DATABASE_URL exists and its user may create databases (CI: root).
  const admin = await new DataSource({
    ...dataSourceOptions(mysqlUrl),
    migrations: [],
  }).initialize();
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  const url = new URL(mysqlUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.destroy();
    },
  };
}

function connect(url: string, migrations = MIGRATIONS): Promise<DataSource> {
  return new DataSource({ ...dataSourceOptions(url), migrations }).initialize();
}

/**
 * Tables, columns and indexes of the connected database as comparable rows (the migrations table
 * aside), so "down then up" can be checked to rebuild exactly what "up" built.
 */
async function schemaOf(dataSource: DataSource): Promise<string[]> {
  if (dataSource.options.type === 'mysql') {
    const columns: Array<Record<string, unknown>> = await dataSource.query(
      `SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, COLLATION_NAME, COLUMN_KEY
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> ?`,
      [MIGRATIONS_TABLE],
    );
    const indexes: Array<Record<string, unknown>> = await dataSource.query(
      `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> ?`,
      [MIGRATIONS_TABLE],
    );
    const foreignKeys: Array<Record<string, unknown>> = await dataSource.query(
      `SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
         FROM information_schema.KEY_COLUMN_USAGE
        WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL`,
    );
    return [...columns, ...indexes, ...foreignKeys].map((row) => JSON.stringify(row)).sort();
  }
  const objects: Array<{ type: string; name: string; sql: string | null }> = await dataSource.query(
    `SELECT type, name, sql FROM sqlite_master
      WHERE name NOT LIKE 'sqlite_%' AND tbl_name <> ?`,
    [MIGRATIONS_TABLE],
  );
  return objects.map((o) => `${o.type} ${o.name}: ${o.sql ?? ''}`).sort();
}

async function appliedNames(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ name: string }> = await dataSource.query(
    `SELECT name FROM ${MIGRATIONS_TABLE}`,
  );
  return rows.map((r) => r.name).sort();
}

describe('Migrations', () => {
  let db: FreshDatabase;

  beforeEach(async () => {
    db = await freshDatabase();
  });

  afterEach(async () => {
    await db.drop();
  });

  it('should run every migration up, down and up again to the same schema', async () => {
    // Migration i is applied on top of migrations 1..i-1, reverted, and applied again: its down()
    // must undo exactly what its up() did, and its up() must run on what the down() left.
    let previous: string[] = [];
    for (let i = 1; i <= MIGRATIONS.length; i += 1) {
      const dataSource = await connect(db.url, MIGRATIONS.slice(0, i));
      try {
        const name = MIGRATIONS[i - 1].name;
        await expect(runMigrationsWithLock(dataSource)).resolves.toEqual([name]);
        const up = await schemaOf(dataSource);
        expect(up).not.toEqual(previous);

        await expect(revertLastMigrationWithLock(dataSource)).resolves.toBe(name);
        await expect(schemaOf(dataSource)).resolves.toEqual(previous);
        await expect(appliedNames(dataSource)).resolves.toHaveLength(i - 1);

        await expect(runMigrationsWithLock(dataSource)).resolves.toEqual([name]);
        await expect(schemaOf(dataSource)).resolves.toEqual(up);
        previous = up;
      } finally {
        await dataSource.destroy();
      }
    }
  });

  it('should revert every migration down to an empty database and migrate again', async () => {
    const dataSource = await connect(db.url);
    try {
      await expect(runMigrationsWithLock(dataSource)).resolves.toEqual(
        MIGRATIONS.map((m) => m.name),
      );
      const full = await schemaOf(dataSource);
      for (const migration of [...MIGRATIONS].reverse()) {
        await expect(revertLastMigrationWithLock(dataSource)).resolves.toBe(migration.name);
      }
      await expect(revertLastMigrationWithLock(dataSource)).resolves.toBeNull();
      await expect(schemaOf(dataSource)).resolves.toEqual([]);
      await expect(appliedNames(dataSource)).resolves.toEqual([]);

      await expect(runMigrationsWithLock(dataSource)).resolves.toHaveLength(MIGRATIONS.length);
      await expect(schemaOf(dataSource)).resolves.toEqual(full);
      await expect(runMigrationsWithLock(dataSource)).resolves.toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('should migrate exactly once when three replicas start together on one empty database', async () => {
    const replicas = await Promise.all([1, 2, 3].map(() => connect(db.url)));
    try {
      const applied = await Promise.all(replicas.map((replica) => runMigrationsWithLock(replica)));
      // Exactly one replica applied everything; the others found nothing to do.
      expect(applied.map((names) => names.length).sort()).toEqual([0, 0, MIGRATIONS.length]);
      expect(applied.flat().sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
      // Each migration recorded once (a double run would record it twice or fail on a table).
      await expect(appliedNames(replicas[0])).resolves.toEqual(
        MIGRATIONS.map((m) => m.name).sort(),
      );
    } finally {
      await Promise.all(replicas.map((replica) => replica.destroy()));
    }
  });
});
