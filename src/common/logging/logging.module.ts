import { randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../../config/app.config';

/**
 * Structured JSON logs (pino) with a request id per request (`X-Request-Id` honoured). Credentials
 * never reach a log line: bodies are not logged and every header that carries a secret is redacted.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          genReqId: (request: IncomingMessage) => {
            const given = request.headers['x-request-id'];
            return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given)
              ? given
              : randomUUID();
          },
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
          // Query strings can carry client secrets (IDaaS tenant token endpoint).
          serializers: {
            req: (req: { id: unknown; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: req.url.split('?')[0],
            }),
          },
          autoLogging: {
            ignore: (request: IncomingMessage) => request.url?.startsWith('/health') ?? false,
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
