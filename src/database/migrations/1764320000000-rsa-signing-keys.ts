import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

const TABLE = 'rsa_signing_keys';

/**
 * RS256 signing keys for ID tokens (OIDC Core §15.1), shaped as `signing_keys` and kept apart from
 * them: the previous release signs with the newest row of `signing_keys`, which must stay ES256
 * while old and new pods serve together. The first start of this release creates the first key.
 */
export class RsaSigningKeys1764320000000 implements MigrationInterface {
  name = 'RsaSigningKeys1764320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    // Byte-exact collation on MySQL, per column, as the initial schema made `signing_keys`.
    const binary = mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {};
    await queryRunner.createTable(
      new Table({
        name: TABLE,
        columns: [
          { name: 'kid', type: 'varchar', length: '64', isPrimary: true, ...binary },
          // Unique, so replicas creating the first key together keep one (see signing_keys).
          { name: 'generation', type: 'int', isUnique: true },
          { name: 'algorithm', type: 'varchar', length: '16', ...binary },
          { name: 'private_key', type: 'text', ...binary },
          { name: 'public_jwk', type: 'text', ...binary },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(TABLE, true);
  }
}
