import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * User roles (admin rights come from the user, API.md §4), the forced-change flag of a session
 * (so refreshed and opaque tokens keep it), what a dialect remembers of an opaque token (Keystone's
 * scope), and single-use state tokens for a forced change.
 */
export class RolesSessionsStateTokens1764100000000 implements MigrationInterface {
  name = 'RolesSessionsStateTokens1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    const binary = mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {};
    // Plain ALTER TABLE on both databases: TypeORM's SQLite addColumn rebuilds the whole table,
    // which rewrites its foreign keys' text and breaks the up-down-up schema comparison.
    const quote = (name: string): string => (mysql ? `\`${name}\`` : `"${name}"`);
    const rolesType = mysql
      ? "varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT ''"
      : "varchar(255) NOT NULL DEFAULT ''";
    await queryRunner.query(
      `ALTER TABLE ${quote('users')} ADD COLUMN ${quote('roles')} ${rolesType}`,
    );
    await queryRunner.query(
      `ALTER TABLE ${quote('sessions')} ADD COLUMN ${quote('password_change_required')} boolean NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(
      `ALTER TABLE ${quote('opaque_tokens')} ADD COLUMN ${quote('context')} text`,
    );
    const varchar = (name: string, length: number): TableColumn =>
      new TableColumn({ name, type: 'varchar', length: String(length), ...binary });
    const time = (name: string, nullable = false): TableColumn =>
      new TableColumn({ name, type: 'datetime', precision: 3, isNullable: nullable });
    await queryRunner.createTable(
      new Table({
        name: 'state_tokens',
        ...(mysql ? { engine: 'InnoDB' } : {}),
        columns: [
          { ...varchar('token_digest', 64), isPrimary: true },
          varchar('user_id', 36),
          varchar('client_id', 64),
          new TableColumn({ name: 'credential_version', type: 'int' }),
          varchar('purpose', 32),
          time('created_at'),
          time('expires_at'),
          time('used_at', true),
        ],
        foreignKeys: [
          {
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [{ name: 'ix_state_tokens_user', columnNames: ['user_id'] }],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    const quote = (name: string): string => (mysql ? `\`${name}\`` : `"${name}"`);
    await queryRunner.dropTable('state_tokens', true);
    await queryRunner.query(
      `ALTER TABLE ${quote('opaque_tokens')} DROP COLUMN ${quote('context')}`,
    );
    await queryRunner.query(
      `ALTER TABLE ${quote('sessions')} DROP COLUMN ${quote('password_change_required')}`,
    );
    await queryRunner.query(`ALTER TABLE ${quote('users')} DROP COLUMN ${quote('roles')}`);
  }
}
