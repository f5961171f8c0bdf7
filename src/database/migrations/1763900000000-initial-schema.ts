import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions';

// Column helpers keep every table portable between SQLite and MySQL/MariaDB: no native enums,
// millisecond datetimes (stored UTC), bounded varchar keys that fit InnoDB's index limit.
const id = (name: string, length = 36): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isPrimary: true,
});
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const text = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'text',
  isNullable: nullable,
});
const int = (name: string, defaultValue = 0): TableColumnOptions => ({
  name,
  type: 'int',
  default: defaultValue,
});
const bool = (name: string): TableColumnOptions => ({ name, type: 'boolean', default: false });
const time = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable: nullable,
});

export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    // Byte-exact comparisons on MySQL too, as on SQLite: case folding is done by the application.
    const create = async (table: Table): Promise<void> => {
      if (mysql) {
        // Set per column at creation: foreign keys need identical collations on both sides,
        // whatever the database's default.
        for (const column of table.columns) {
          if (column.type === 'varchar' || column.type === 'text') {
            column.charset = 'utf8mb4';
            column.collation = 'utf8mb4_bin';
          }
        }
      }
      await queryRunner.createTable(table, true);
    };

    await create(
      new Table({
        name: 'applications',
        columns: [
          id('client_id', 64),
          str('name', 200),
          str('type', 16),
          str('secret_digest', 128, true),
          str('scopes', 1000),
          time('created_at'),
          time('updated_at'),
        ],
      }),
    );

    await create(
      new Table({
        name: 'users',
        columns: [
          id('id'),
          str('username', 255),
          str('username_key', 255),
          str('email', 320, true),
          str('phone_number', 32, true),
          str('name', 255, true),
          str('status', 16),
          str('password_hash', 100, true),
          bool('must_change_password'),
          time('password_changed_at', true),
          int('credential_version'),
          int('failed_login_count'),
          time('failed_login_window_started_at', true),
          time('locked_until', true),
          time('created_at'),
          time('updated_at'),
        ],
        uniques: [
          { name: 'uq_users_username_key', columnNames: ['username_key'] },
          { name: 'uq_users_email', columnNames: ['email'] },
          { name: 'uq_users_phone_number', columnNames: ['phone_number'] },
        ],
      }),
    );

    await create(
      new Table({
        name: 'password_history',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          str('user_id', 36),
          str('password_hash', 100),
          str('reason', 16),
          time('changed_at'),
        ],
        foreignKeys: [
          {
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [{ name: 'ix_password_history_user', columnNames: ['user_id', 'id'] }],
      }),
    );

    await create(
      new Table({
        name: 'password_policies',
        columns: [id('scope', 80), text('settings'), time('updated_at')],
      }),
    );

    await create(
      new Table({
        name: 'signing_keys',
        columns: [
          id('kid', 64),
          // A unique generation number makes key creation race-free across replicas: the loser's
          // insert fails and it reads the winner's key.
          { name: 'generation', type: 'int', isUnique: true },
          str('algorithm', 16),
          text('private_key'),
          text('public_jwk'),
          time('created_at'),
        ],
      }),
    );

    await create(
      new Table({
        name: 'key_material',
        columns: [id('name', 64), text('value'), time('created_at')],
      }),
    );

    await create(
      new Table({
        name: 'sessions',
        columns: [
          id('id'),
          str('user_id', 36),
          str('client_id', 64),
          str('scope', 1000),
          int('credential_version'),
          time('created_at'),
          time('expires_at'),
          time('revoked_at', true),
        ],
        foreignKeys: [
          {
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [{ name: 'ix_sessions_user', columnNames: ['user_id'] }],
      }),
    );

    await create(
      new Table({
        name: 'refresh_tokens',
        columns: [
          id('id'),
          str('session_id', 36),
          str('token_digest', 64),
          time('created_at'),
          time('expires_at'),
          time('used_at', true),
          time('revoked_at', true),
        ],
        uniques: [{ name: 'uq_refresh_tokens_digest', columnNames: ['token_digest'] }],
        foreignKeys: [
          {
            columnNames: ['session_id'],
            referencedTableName: 'sessions',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [{ name: 'ix_refresh_tokens_session', columnNames: ['session_id'] }],
      }),
    );

    await create(
      new Table({
        name: 'opaque_tokens',
        columns: [
          id('token_digest', 64),
          str('user_id', 36),
          str('session_id', 36, true),
          str('client_id', 64, true),
          str('scope', 1000),
          str('methods', 200),
          int('credential_version'),
          time('created_at'),
          time('expires_at'),
          time('revoked_at', true),
        ],
        foreignKeys: [
          {
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [{ name: 'ix_opaque_tokens_user', columnNames: ['user_id'] }],
      }),
    );

    await create(
      new Table({
        name: 'otp_challenges',
        columns: [
          id('token_digest', 64),
          str('client_id', 64),
          str('channel', 8),
          str('target', 320),
          str('usage', 32),
          str('code_digest', 64),
          int('attempts'),
          time('created_at'),
          time('expires_at'),
          time('used_at', true),
        ],
        indices: [
          { name: 'ix_otp_challenges_target', columnNames: ['target', 'usage', 'created_at'] },
        ],
      }),
    );
    await queryRunner.createIndex(
      'users',
      new TableIndex({ name: 'ix_users_created', columnNames: ['created_at', 'id'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'otp_challenges',
      'opaque_tokens',
      'refresh_tokens',
      'sessions',
      'key_material',
      'signing_keys',
      'password_policies',
      'password_history',
      'users',
      'applications',
    ]) {
      await queryRunner.dropTable(table, true);
    }
  }
}
