import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

const TABLE = 'key_material';

/**
 * Server keys are now derived from `SECRET_KEY` and never stored (issue 10, finding 3): the table
 * that held the generated HMAC key (row `secret-digest-hmac`) beside the digests it protects is
 * dropped, so a copy of the database no longer holds any key. Digests made under the old key stop
 * matching (there is no production data to carry over). `down` recreates the table empty: a
 * deleted key cannot be restored, and the earlier version generates a new one on its first start.
 */
export class DropKeyMaterial1764200000000 implements MigrationInterface {
  name = 'DropKeyMaterial1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(TABLE);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    // As the initial schema created it: byte-exact collation on MySQL, per column.
    const binary = mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {};
    await queryRunner.createTable(
      new Table({
        name: TABLE,
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true, ...binary },
          { name: 'value', type: 'text', ...binary },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
      }),
      true,
    );
  }
}
