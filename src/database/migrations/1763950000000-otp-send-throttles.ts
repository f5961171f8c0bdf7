import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Send counters for the one-code-per-minute and hourly limits of one-time codes. */
export class OtpSendThrottles1763950000000 implements MigrationInterface {
  name = 'OtpSendThrottles1763950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const mysql = queryRunner.connection.options.type === 'mysql';
    await queryRunner.createTable(
      new Table({
        name: 'otp_send_throttles',
        ...(mysql ? { engine: 'InnoDB' } : {}),
        columns: [
          { name: 'throttle_key', type: 'varchar', length: '64', isPrimary: true },
          { name: 'window_started_at', type: 'datetime', precision: 3 },
          { name: 'sends', type: 'int', default: 0 },
        ],
      }),
      true,
    );
    if (mysql) {
      await queryRunner.query(
        'ALTER TABLE `otp_send_throttles` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin',
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('otp_send_throttles', true);
  }
}
