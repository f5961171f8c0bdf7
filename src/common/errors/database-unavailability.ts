/** What a client is told to wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Driver error codes that say the database could not be reached or did not answer in time, as
 * opposed to a query it refused: sockets (Node's `E…`), mysql2's protocol and pool failures,
 * MariaDB refusing connections, SQLite's lock timeouts. `POOL_ACQUIRE_TIMEOUT` is Tessera's own
 * (database.module.ts bounds the wait for a pooled connection).
 */
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'POOL_ACQUIRE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

/** mysql2's pool and connection failures that carry no code, by their exact message. */
const UNAVAILABLE_MESSAGES: readonly RegExp[] = [
  /^Pool is closed\.?$/,
  /^Queue limit reached\.?$/,
  /^No connections available\.?$/,
  /^Can't add new command when connection is in closed state$/,
];

/**
 * Node's socket errors by message (`connect ECONNREFUSED 10.0.0.5:3306`), for when a layer between
 * the driver and here re-wrapped one as a plain `Error` and dropped its code.
 */
const SOCKET_MESSAGE =
  /\b(?:connect|read|write|getaddrinfo) (ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE)\b/;

/** TypeORM's errors for a data source that is not (or no longer) connected. */
const UNAVAILABLE_NAMES: ReadonlySet<string> = new Set([
  'CannotExecuteNotConnectedError',
  'ConnectionIsNotSetError',
]);

interface DriverErrorShape {
  code?: unknown;
  message?: unknown;
  name?: unknown;
  fatal?: unknown;
  driverError?: unknown;
  cause?: unknown;
}

/**
 * Why `error` (a driver error, or one wrapping it in `driverError` (TypeORM) or `cause`) means
 * the database is unavailable rather than that a statement failed: the driver's code, TypeORM's
 * error name or mysql2's message; `undefined` when it does not. A mysql2 error marked `fatal`
 * always qualifies: the connection it came from is gone. Never the error's full text, which may
 * name the host or user.
 */
export function databaseUnavailability(error: unknown): string | undefined {
  for (let current = error, depth = 0; depth < 3; depth++) {
    if (typeof current !== 'object' || current === null) return undefined;
    const { code, message, name, fatal, driverError, cause } = current as DriverErrorShape;
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return code;
    if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return name;
    if (typeof message === 'string') {
      if (UNAVAILABLE_MESSAGES.some((re) => re.test(message))) return message;
      const socketCode = SOCKET_MESSAGE.exec(message)?.[1];
      if (socketCode !== undefined) return socketCode;
    }
    if (fatal === true) return typeof code === 'string' ? code : 'fatal driver error';
    current = driverError ?? cause;
  }
  return undefined;
}
