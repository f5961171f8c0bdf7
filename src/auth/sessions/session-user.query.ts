import type { EntityManager } from 'typeorm';
import { User } from '../../users/user.entity';

/** What a bearer check needs of a session, read together with its user. */
export interface SessionWithUser {
  sessionId: string;
  revoked: boolean;
  user: User;
}

const USER_PREFIX = 'u_';

/**
 * The statement of {@link findSessionWithUser}, built once from the entity metadata so a new user
 * column is read without editing it. Plain SQL with `?` placeholders, valid on SQLite and MySQL.
 */
const statements = new WeakMap<EntityManager['connection'], string>();

function statementFor(manager: EntityManager): string {
  let sql = statements.get(manager.connection);
  if (!sql) {
    const userColumns = manager.connection
      .getMetadata(User)
      .columns.map((column) => `u.${column.databaseName} AS ${USER_PREFIX}${column.databaseName}`);
    sql =
      `SELECT s.id AS s_id, s.revoked_at AS s_revoked_at, ${userColumns.join(', ')} ` +
      'FROM sessions s INNER JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.user_id = ?';
    statements.set(manager.connection, sql);
  }
  return sql;
}

/**
 * The session `sessionId` of user `userId` and that user, in one round trip (the bearer check of
 * every user request); null when either is missing or the session belongs to someone else. Rows
 * are hydrated through the driver like a repository read (dates, booleans, the roles transformer).
 */
export async function findSessionWithUser(
  manager: EntityManager,
  sessionId: string,
  userId: string,
): Promise<SessionWithUser | null> {
  const rows = await manager.query<Array<Record<string, unknown>>>(statementFor(manager), [
    sessionId,
    userId,
  ]);
  const row = rows[0];
  if (!row) return null;
  const { driver } = manager.connection;
  const user = new User();
  for (const column of manager.connection.getMetadata(User).columns) {
    const raw = row[`${USER_PREFIX}${column.databaseName}`];
    column.setEntityValue(user, driver.prepareHydratedValue(raw, column));
  }
  return {
    sessionId: String(row.s_id),
    revoked: row.s_revoked_at !== null && row.s_revoked_at !== undefined,
    user,
  };
}
