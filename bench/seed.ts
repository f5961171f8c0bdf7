/**
 * Direct SQL seeding for the benchmark: users by the ten thousand (through the admin API each one
 * would cost a bcrypt hash) and password history rows, written into the service's own database
 * after its migrations ran. Rows carry a precomputed hash, so the cost to check them is real.
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { createConnection, type Connection } from 'mysql2/promise';

export interface SeedDatabase {
  insert(table: string, columns: readonly string[], rows: unknown[][]): Promise<void>;
  close(): Promise<void>;
}

/** Opens the database a `DATABASE_URL` names: `sqlite:<file>` or `mysql://…`. */
export async function openSeedDatabase(url: string): Promise<SeedDatabase> {
  if (url.startsWith('mysql://')) return new MysqlSeed(await createConnection(url));
  return new SqliteSeed(new Database(url.replace(/^sqlite:/, '')));
}

class SqliteSeed implements SeedDatabase {
  constructor(private readonly db: Database.Database) {
    db.pragma('busy_timeout = 10000');
  }

  async insert(table: string, columns: readonly string[], rows: unknown[][]): Promise<void> {
    const statement = this.db.prepare(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    this.db.transaction(() => {
      for (const row of rows) statement.run(...row);
    })();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

class MysqlSeed implements SeedDatabase {
  constructor(private readonly connection: Connection) {}

  async insert(table: string, columns: readonly string[], rows: unknown[][]): Promise<void> {
    const placeholders = `(${columns.map(() => '?').join(', ')})`;
    for (let start = 0; start < rows.length; start += 1000) {
      const chunk = rows.slice(start, start + 1000);
      await this.connection.query(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => placeholders).join(', ')}`,
        chunk.flat(),
      );
    }
  }

  async close(): Promise<void> {
    await this.connection.end();
  }
}

/** TypeORM's datetime(3) text: UTC, `YYYY-MM-DD HH:MM:SS.mmm`. */
const timestamp = (date: Date): string => date.toISOString().replace('T', ' ').replace('Z', '');

const USER_COLUMNS = [
  'id',
  'username',
  'username_key',
  'email',
  'phone_number',
  'name',
  'roles',
  'status',
  'password_hash',
  'must_change_password',
  'password_changed_at',
  'credential_version',
  'failed_login_count',
  'failed_login_window_started_at',
  'locked_until',
  'created_at',
  'updated_at',
] as const;

/** `count` active users `filler-<i>` with `passwordHash`, in batches of 10 000. */
export async function seedFillerUsers(
  db: SeedDatabase,
  count: number,
  passwordHash: string,
): Promise<void> {
  const now = timestamp(new Date());
  for (let start = 0; start < count; start += 10_000) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(count, start + 10_000); i += 1) {
      const username = `filler-${i}`;
      rows.push([
        randomUUID(),
        username,
        username,
        `${username}@bench.test`,
        null,
        null,
        '',
        'active',
        passwordHash,
        0,
        now,
        0,
        0,
        null,
        null,
        now,
        now,
      ]);
    }
    await db.insert('users', USER_COLUMNS, rows);
  }
}

/** `count` earlier passwords (all `passwordHash`, which is none of the bench's) for `userId`. */
export async function seedHistory(
  db: SeedDatabase,
  userId: string,
  count: number,
  passwordHash: string,
): Promise<void> {
  const rows = Array.from({ length: count }, (_, i) => [
    userId,
    passwordHash,
    'change',
    timestamp(new Date(Date.now() - (count - i) * 86_400_000)),
  ]);
  await db.insert('password_history', ['user_id', 'password_hash', 'reason', 'changed_at'], rows);
}
