import { InvalidConfigurationError } from '../config/app.config';
import { DatabaseStartupError } from '../database/startup-connection';

/** What stopped the start (or, once running, crashed the process), as one log line: the fields and a message naming what to change. */
export interface StartupFailure {
  fields: Record<string, unknown>;
  message: string;
}

/** The URL of a listener on `host` and `port`, as logged (an IPv6 address in brackets). */
export function listenUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * A listener could not be opened on HOST and the port of `portVariable` (PORT, or HEALTH_PORT for
 * the probe thread's); `cause` is the socket error.
 */
export class ListenError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly host: string,
    readonly port: number,
    readonly portVariable: 'PORT' | 'HEALTH_PORT' = 'PORT',
  ) {
    super(`listen ${host}:${port}: ${(cause as { code?: string } | null)?.code ?? String(cause)}`);
    this.name = 'ListenError';
  }

  get code(): string {
    const code = (this.cause as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : 'UNKNOWN';
  }
}

/**
 * Turns what stopped the start into one line that names the variable to fix: the configuration
 * (each problem names its variable), the database (DATABASE_URL, password masked), the listen
 * address (PORT or HOST). Anything else is reported with its stack, still as one JSON line.
 * `secrets` are cut out of every message (the raw DATABASE_URL password, for one).
 */
export function describeStartupFailure(
  error: unknown,
  secrets: string[] = [],
  phase: 'start' | 'run' = 'start',
): StartupFailure {
  const failed = phase === 'start' ? 'Start-up failed' : 'Uncaught error; exiting';
  const scrub = (text: string): string =>
    secrets.filter((s) => s.length > 0).reduce((out, s) => out.split(s).join('***'), text);
  if (error instanceof InvalidConfigurationError) {
    return {
      fields: { problems: error.problems.map(scrub) },
      message: scrub(`Invalid configuration: ${error.problems.join('; ')}`),
    };
  }
  if (error instanceof DatabaseStartupError) {
    return {
      fields: { variable: 'DATABASE_URL', database: error.databaseUrl, code: error.driverCode },
      message: scrub(error.message),
    };
  }
  if (error instanceof ListenError) {
    const { host, port, code, portVariable: variable } = error;
    const fields = { code, address: `${host}:${port}` };
    switch (code) {
      case 'EADDRINUSE':
        return {
          fields: { ...fields, variable },
          message: `${variable} ${port} is already in use on ${host}; stop what holds it or set ${variable} to a free port`,
        };
      case 'EACCES':
        return {
          fields: { ...fields, variable },
          message: `${variable} ${port} on ${host} needs privileges this process lacks; use a port above 1023`,
        };
      default:
        // EADDRNOTAVAIL (not an address of this machine), ENOTFOUND (a name that does not resolve).
        return {
          fields: { ...fields, variable: 'HOST' },
          message: `Cannot listen on HOST ${host} (${variable} ${port}): ${code}; use 0.0.0.0, :: or an address of this machine`,
        };
    }
  }
  if (error instanceof Error) {
    return {
      fields: {
        err: { type: error.name, message: scrub(error.message), stack: scrub(error.stack ?? '') },
      },
      message: scrub(`${failed}: ${error.message}`),
    };
  }
  return { fields: {}, message: scrub(`${failed}: ${String(error)}`) };
}
