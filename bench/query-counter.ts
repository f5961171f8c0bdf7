/**
 * Preloaded into the service by the benchmark only (`node -r bench/.build/query-counter.js`), so
 * that the service's own code needs no hook: counts every statement sent to the database (SQLite
 * statements run through better-sqlite3, MySQL/MariaDB queries and executes through mysql2) and
 * answers `GET /__bench/queries` with `{"statements":n,"transactionControl":m}` before the request reaches the
 * application. The bench reads the count around one request at a time, which gives the database
 * round trips of that request. Cost on every request: one string comparison.
 */
import http from 'node:http';

let statements = 0;
/** BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE: counted among the statements and also here. */
let transactionControl = 0;
const TRANSACTION_CONTROL = /^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i;

/** The SQL of a call: a statement's `source`, or the first argument (string or `{sql}`). */
function sqlOf(target: unknown, args: unknown[]): string {
  const source = (target as { source?: unknown }).source;
  if (typeof source === 'string') return source;
  const first = args[0];
  if (typeof first === 'string') return first;
  const sql = (first as { sql?: unknown } | undefined)?.sql;
  return typeof sql === 'string' ? sql : '';
}

/** With BENCH_SQL_LOG set: the last 100 statements, in `recent`, to see what a request runs. */
const recent: string[] | undefined = process.env.BENCH_SQL_LOG ? [] : undefined;

const count = <T extends (...args: never[]) => unknown>(original: T): T =>
  function (this: unknown, ...args: Parameters<T>) {
    statements += 1;
    const sql = sqlOf(this, args);
    if (TRANSACTION_CONTROL.test(sql)) transactionControl += 1;
    if (recent && recent.push(sql) > 100) recent.shift();
    return original.apply(this, args);
  } as T;

type Methods = Record<string, (...args: never[]) => unknown>;
function wrap(prototype: Methods, names: readonly string[]): void {
  for (const name of names) {
    if (typeof prototype[name] === 'function') prototype[name] = count(prototype[name]);
  }
}

try {
  // TypeORM caches prepared statements, so the runs are counted, not the prepares.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3') as new (file: string) => {
    prepare(sql: string): object;
    close(): void;
  };
  const probe = new Database(':memory:');
  wrap(Object.getPrototypeOf(probe.prepare('SELECT 1')) as Methods, [
    'run',
    'get',
    'all',
    'iterate',
  ]);
  probe.close();
  wrap((Database as unknown as { prototype: Methods }).prototype, ['exec']);
} catch {
  // no SQLite driver: nothing to count there
}

try {
  // The class that owns query() and execute() (mysql2's BaseConnection; its path is not exported).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mysql = require('mysql2') as { Connection: { prototype: Methods } };
  let owner: Methods | null = mysql.Connection.prototype;
  while (owner && !Object.prototype.hasOwnProperty.call(owner, 'query'))
    owner = Object.getPrototypeOf(owner) as Methods | null;
  if (owner) wrap(owner, ['query', 'execute']);
} catch {
  // no mysql2: nothing to count there
}

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]) {
  if (event === 'request') {
    const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
    if (req.url === '/__bench/queries') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ statements, transactionControl, recent }));
      return true;
    }
  }
  return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
} as typeof emit;
