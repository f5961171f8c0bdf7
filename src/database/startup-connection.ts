import type { LoggerService } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { maskDatabaseUrl } from '../config/database-url';

/** The database could not be reached within the start-up budget; the process exits 1. */
export class DatabaseStartupError extends Error {
  constructor(
    message: string,
    readonly databaseUrl: string,
    readonly driverCode: string | undefined,
  ) {
    super(message);
    this.name = 'DatabaseStartupError';
  }
}

export interface StartupConnectionOptions {
  databaseUrl: string;
  /** Keep retrying this long after the first failure; 0 tries once. */
  timeoutMs: number;
  logger: Pick<LoggerService, 'warn'>;
  /** First pause between attempts; doubles up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const driverCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** The driver's message, with anything that could be the password taken out. */
function describe(error: unknown, databaseUrl: string): string {
  const message = error instanceof Error ? error.message : String(error);
  let password = '';
  try {
    password = decodeURIComponent(new URL(databaseUrl).password);
  } catch {
    // Not a URL with a password (SQLite).
  }
  return password.length > 0 ? message.split(password).join('***') : message;
}

/**
 * Initialises a data source at start, retrying a database that refuses connections, does not
 * exist yet or rejects the user (it may be starting beside us, or being provisioned) with
 * exponential backoff for `timeoutMs`. Every failure is logged at once, naming `DATABASE_URL` with
 * its password masked; after the budget a `DatabaseStartupError` says what was tried. TypeORM's
 * own retry (silent for its first delay, then a stack per attempt) is switched off.
 */
export async function initializeAtStartup(
  create: () => DataSource,
  options: StartupConnectionOptions,
): Promise<DataSource> {
  const { databaseUrl, timeoutMs, logger } = options;
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const shown = maskDatabaseUrl(databaseUrl);
  // SQLite is a local file: trying again changes nothing.
  const retrying = !databaseUrl.startsWith('sqlite:');
  const deadline = Date.now() + timeoutMs;
  let delayMs = options.initialDelayMs ?? 250;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await create().initialize();
    } catch (error) {
      const code = driverCode(error);
      const reason = describe(error, databaseUrl);
      const remainingMs = deadline - Date.now();
      if (!retrying || remainingMs <= 0) {
        throw new DatabaseStartupError(
          retrying
            ? `Could not connect to the database of DATABASE_URL (${shown}) within ${Math.round(timeoutMs / 1000)} s (DB_STARTUP_TIMEOUT_SECONDS): ${reason}`
            : `Could not open the database of DATABASE_URL (${shown}): ${reason}`,
          shown,
          code,
        );
      }
      const waitMs = Math.min(delayMs, remainingMs);
      logger.warn(
        { database: shown, code, attempt, retryInMs: waitMs },
        `Cannot connect to the database of DATABASE_URL (${shown}): ${reason}; retrying in ${waitMs} ms, for at most ${Math.round(timeoutMs / 1000)} s`,
      );
      await sleep(waitMs);
      delayMs = Math.min(delayMs * 2, maxDelayMs);
    }
  }
}
