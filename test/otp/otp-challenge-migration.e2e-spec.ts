import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type MigrationInterface } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import {
  revertLastMigrationWithLock,
  runMigrationsWithLock,
} from '../../src/database/migration-runner';
import { InitialSchema1763900000000 } from '../../src/database/migrations/1763900000000-initial-schema';
import { OtpSendThrottles1763950000000 } from '../../src/database/migrations/1763950000000-otp-send-throttles';
import { OtpChallengeTargetIndex1764000000000 } from '../../src/database/migrations/1764000000000-otp-challenge-target-index';
import { uniqueName } from '../utils/unique';

const mysqlUrl = /^(mysql|mariadb):/.test(process.env.DATABASE_URL ?? '')
  ? process.env.DATABASE_URL
  : undefined;

type MigrationClass = new () => MigrationInterface;
const BEFORE: MigrationClass[] = [InitialSchema1763900000000, OtpSendThrottles1763950000000];

/** A fresh, empty database: a temporary SQLite file, or a new schema on DATABASE_URL's server. */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!mysqlUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-otp-migration-'));
    return {
      url: `sqlite:${join(dir, 'db.sqlite')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = uniqueName('tessera_otp_mig_').replace(/[^a-z0-9_]/gi, '_');
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

describe(OtpChallengeTargetIndex1764000000000.name, () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let dataSource: DataSource;

  const insertChallenge = (usage: string) =>
    dataSource
      .createQueryBuilder()
      .insert()
      .into('otp_challenges')
      .values({
        token_digest: `${usage}`.padEnd(64, '0'),
        client_id: 'client',
        channel: 'email',
        target: 'someone@example.test',
        usage,
        code_digest: '0'.repeat(64),
        attempts: 0,
        created_at: new Date(),
        expires_at: new Date(Date.now() + 300_000),
        used_at: null,
      })
      .execute();
  const usages = async (): Promise<string[]> =>
    (
      await dataSource
        .createQueryBuilder()
        .select('c.usage', 'usage')
        .from('otp_challenges', 'c')
        .getRawMany<{ usage: string }>()
    )
      .map((row) => row.usage)
      .sort();
  const indexNames = async (): Promise<string[]> =>
    ((await dataSource.createQueryRunner().getTable('otp_challenges'))?.indices ?? []).map(
      (index) => index.name ?? '',
    );

  beforeAll(async () => {
    db = await freshDatabase();
    const before = await new DataSource({
      ...dataSourceOptions(db.url),
      migrations: BEFORE,
    }).initialize();
    await runMigrationsWithLock(before);
    await before.destroy();
    dataSource = await new DataSource({
      ...dataSourceOptions(db.url),
      migrations: [...BEFORE, OtpChallengeTargetIndex1764000000000],
    }).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('should rename stored usages to the domain names and add the index, and undo both', async () => {
    for (const usage of ['login', 'signup', 'update_userinfo', 'reset_password'])
      await insertChallenge(usage);

    await expect(runMigrationsWithLock(dataSource)).resolves.toEqual([
      'OtpChallengeTargetIndex1764000000000',
    ]);
    await expect(usages()).resolves.toEqual([
      'reset_password',
      'sign_in',
      'sign_up',
      'update_contact',
    ]);
    await expect(indexNames()).resolves.toContain('ix_otp_challenges_binding');

    // A usage the earlier version has no name for cannot be redeemed there: down removes it.
    await insertChallenge('change_password');
    await expect(revertLastMigrationWithLock(dataSource)).resolves.toBe(
      'OtpChallengeTargetIndex1764000000000',
    );
    await expect(usages()).resolves.toEqual([
      'login',
      'reset_password',
      'signup',
      'update_userinfo',
    ]);
    await expect(indexNames()).resolves.not.toContain('ix_otp_challenges_binding');
  });
});
