import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * Runs a unit of work in one transaction. TypeORM's better-sqlite3 driver shares a single
 * connection, so two concurrent `transaction()` calls would nest as savepoints of each other; on
 * SQLite transactions are therefore queued one at a time in this process (SQLite serialises
 * writers anyway). MySQL gives each transaction its own pooled connection.
 */
@Injectable()
export class TransactionRunner {
  private sqliteTail: Promise<unknown> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type === 'mysql') return this.dataSource.transaction(work);
    const result = this.sqliteTail.then(() => this.dataSource.transaction(work));
    this.sqliteTail = result.catch(() => undefined);
    return result;
  }
}
