import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLE = 'applications';
const COLUMN = 'id_token_signed_response_alg';

/**
 * The algorithm an application's ID tokens are signed with (OIDC Dynamic Client Registration's
 * `id_token_signed_response_alg`): RS256 unless the application chose ES256. Existing applications
 * get RS256, which OpenID Connect Core §15.1 makes the default every relying party accepts.
 */
export class ApplicationIdTokenAlgorithm1764310000000 implements MigrationInterface {
  name = 'ApplicationIdTokenAlgorithm1764310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    const quote = (name: string): string => (mysql ? `\`${name}\`` : `"${name}"`);
    // Plain ALTER TABLE on both databases: TypeORM's SQLite addColumn rebuilds the whole table.
    const type = mysql
      ? "varchar(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT 'RS256'"
      : "varchar(16) NOT NULL DEFAULT 'RS256'";
    await queryRunner.query(`ALTER TABLE ${quote(TABLE)} ADD COLUMN ${quote(COLUMN)} ${type}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    const quote = (name: string): string => (mysql ? `\`${name}\`` : `"${name}"`);
    await queryRunner.query(`ALTER TABLE ${quote(TABLE)} DROP COLUMN ${quote(COLUMN)}`);
  }
}
