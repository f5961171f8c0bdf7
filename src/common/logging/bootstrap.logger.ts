import type { LoggerService } from '@nestjs/common';
import pino, { type Level, type Logger as PinoInstance } from 'pino';

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * The logger of the process before the application's own (nestjs-pino, configured from the
 * validated `AppConfig`) takes over, and of failures that stop the start: the same pino JSON lines
 * from the first one, so log collectors never see Nest's coloured text. `LOG_LEVEL` is read raw
 * (the configuration is not validated yet); start-up failures are written at any level, because a
 * process that exits 1 in silence helps nobody.
 */
export class BootstrapLogger implements LoggerService {
  private readonly logger: PinoInstance;
  private readonly fatalLogger: PinoInstance;

  constructor(level: string | undefined = process.env.LOG_LEVEL) {
    const chosen = level !== undefined && LEVELS.has(level) ? level : 'info';
    // Synchronous, so a failure line is out before `process.exit(1)`.
    const stdout = pino.destination({ dest: 1, sync: true });
    this.logger = pino({ level: chosen }, stdout);
    this.fatalLogger = chosen === 'silent' ? pino({ level: 'fatal' }, stdout) : this.logger;
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    // Nest's ExceptionHandler reports initialisation errors before rethrowing them; main.ts
    // reports each once, as one line that names what to fix.
    if (params[params.length - 1] === 'ExceptionHandler') return;
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** A failure that stops the process: always written, whatever `LOG_LEVEL` says. */
  startupFailure(fields: Record<string, unknown>, message: string): void {
    this.fatalLogger.fatal(fields, message);
  }

  /**
   * Nest calls `logger.log(message, ...params, context)`; an object message carries fields (the
   * nestjs-pino convention `logger.log({ userId }, 'text')`), the last string is the context.
   */
  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    let rest = params;
    if (params.length > 0 && typeof params[params.length - 1] === 'string') {
      fields.context = params[params.length - 1];
      rest = params.slice(0, -1);
    }
    if (message instanceof Error) {
      fields.err = message;
      this.logger[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      const text = typeof rest[0] === 'string' ? rest[0] : undefined;
      this.logger[level]({ ...fields, ...(message as Record<string, unknown>) }, text);
    } else if (level === 'error' && typeof rest[0] === 'string' && rest[0].includes('\n    at ')) {
      // Nest's `error(message, stack, context)`.
      this.logger.error({ ...fields, stack: rest[0] }, String(message));
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
