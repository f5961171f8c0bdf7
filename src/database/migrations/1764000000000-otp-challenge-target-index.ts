import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const TABLE = 'otp_challenges';
const INDEX = 'ix_otp_challenges_binding';

/** Wire names stored by earlier versions → the domain names of `OTP_USAGES`. */
const RENAMED_USAGES: ReadonlyArray<[old: string, domain: string]> = [
  ['login', 'sign_in'],
  ['signup', 'sign_up'],
  ['update_userinfo', 'update_contact'],
];
/** Domain usages earlier versions had no name for. */
const NEW_USAGES = ['change_password'];

/**
 * One-time codes found by what they are bound to (IDaaS verifies `{mobile|email, verify_code}`
 * without a token): an index for "the newest challenge of this client, channel, target and
 * usage", and stored usages renamed to the domain names. `down` renames them back and deletes
 * challenges whose usage the earlier version does not know (they could never be redeemed there).
 */
export class OtpChallengeTargetIndex1764000000000 implements MigrationInterface {
  name = 'OtpChallengeTargetIndex1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      TABLE,
      new TableIndex({
        name: INDEX,
        columnNames: ['client_id', 'channel', 'target', 'usage', 'created_at'],
      }),
    );
    for (const [old, domain] of RENAMED_USAGES) await renameUsage(queryRunner, old, domain);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const { table, usage } = names(queryRunner);
    for (const domain of NEW_USAGES)
      await queryRunner.query(`DELETE FROM ${table} WHERE ${usage} = ?`, [domain]);
    for (const [old, domain] of RENAMED_USAGES) await renameUsage(queryRunner, domain, old);
    await queryRunner.dropIndex(TABLE, INDEX);
  }
}

/** Quoted by the driver: `usage` is a reserved word in MySQL. */
function names(queryRunner: QueryRunner): { table: string; usage: string } {
  const { driver } = queryRunner.connection;
  return { table: driver.escape(TABLE), usage: driver.escape('usage') };
}

async function renameUsage(queryRunner: QueryRunner, from: string, to: string): Promise<void> {
  const { table, usage } = names(queryRunner);
  await queryRunner.query(`UPDATE ${table} SET ${usage} = ? WHERE ${usage} = ?`, [to, from]);
}
