import { type EntitySubscriberInterface, EventSubscriber } from 'typeorm';
import type { AfterQueryEvent } from 'typeorm/subscriber/event/QueryEvent';

/** The part of TypeORM's MySQL query runner read here: its mysql2 pool connection. */
interface MysqlQueryRunnerShape {
  databaseConnection?: { destroy?: () => void };
}

/**
 * Drops the connection of a statement that hit mysql2's query timeout. mysql2 reports the timeout
 * but leaves the statement as the connection's current command: returned to the pool, the
 * connection would queue every later statement behind it with no timer of its own, and a request
 * using it would hang. Destroying it removes it from the pool (TypeORM's release is then a no-op).
 */
@EventSubscriber()
export class QueryTimeoutSubscriber implements EntitySubscriberInterface {
  afterQuery(event: AfterQueryEvent<unknown>): void {
    const code = (event.error as { code?: unknown } | undefined)?.code;
    if (code !== 'PROTOCOL_SEQUENCE_TIMEOUT') return;
    (event.queryRunner as unknown as MysqlQueryRunnerShape).databaseConnection?.destroy?.();
  }
}
