import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { type Logger } from 'pino';
import { AppConfig } from '../../config/app.config';
import { asyncLogDestination } from './pending-logs';

/** The process's root pino logger; `requestLogging` (app.setup.ts) derives request loggers from it. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

@Module({
  providers: [
    {
      provide: ROOT_LOGGER,
      inject: [AppConfig],
      useFactory: (config: AppConfig): Logger =>
        pino(
          {
            level: config.logLevel,
            // Nothing logs headers; should something log a request or response object, these
            // credentials still never reach a line.
            redact: {
              paths: [
                'req.headers.authorization',
                'req.headers.cookie',
                'req.headers["x-auth-token"]',
                'req.headers["x-subject-token"]',
                'req.headers["x-state-token"]',
                'res.headers["x-subject-token"]',
                'res.headers["set-cookie"]',
              ],
              censor: '[redacted]',
            },
          },
          asyncLogDestination(),
        ),
    },
  ],
  exports: [ROOT_LOGGER],
})
class RootLoggerModule {}

/**
 * Structured JSON logs (pino) with a request id per request (`X-Request-Id` honoured), written
 * by `requestLogging` (request-logging.middleware.ts), which app.setup.ts installs first. Nest's
 * and the services' logs go through nestjs-pino, bound to the running request. Credentials never
 * reach a log line: bodies and headers are not logged.
 */
@Module({
  imports: [
    RootLoggerModule,
    LoggerModule.forRootAsync({
      imports: [RootLoggerModule],
      inject: [ROOT_LOGGER],
      // nestjs-pino's own per-request middleware (pino-http) is not installed: no routes.
      useFactory: (root: Logger) => ({
        pinoHttp: { logger: root },
        useExisting: true,
        forRoutes: [],
      }),
    }),
  ],
  exports: [RootLoggerModule],
})
export class LoggingModule {}
