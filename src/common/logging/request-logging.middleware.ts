import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { storage } from 'nestjs-pino/storage';
import type { Logger } from 'pino';

/** The request's id: a well-formed `X-Request-Id` is honoured, else a new UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
}

interface RequestBindings {
  req: { id: string; method: string | undefined; url: string };
}

/**
 * What nestjs-pino's `PinoLogger` reads for the logs written while a request runs. The child
 * logger that carries the request is made when something first logs, not for every request.
 */
class RequestLogStore {
  private child?: Logger;

  constructor(
    private readonly root: Logger,
    private readonly bindings: RequestBindings,
  ) {}

  get logger(): Logger {
    return (this.child ??= this.root.child(this.bindings));
  }

  set logger(logger: Logger) {
    this.child = logger;
  }
}

/**
 * One line per finished request (`request completed`, or `request errored` at error level for a
 * 5xx), with the request id, method and path (never the query string: it can carry client
 * secrets) and no headers, so there is nothing to redact. Health probes are not logged. Replaces
 * pino-http, which built a child logger and serialised the request for every request whatever
 * the level.
 */
export function requestLogging(root: Logger) {
  return (
    request: IncomingMessage & { id?: string },
    response: ServerResponse,
    next: () => void,
  ) => {
    const id = requestIdOf(request);
    request.id = id;
    const url = request.url ?? '';
    const query = url.indexOf('?');
    const bindings: RequestBindings = {
      req: { id, method: request.method, url: query === -1 ? url : url.slice(0, query) },
    };
    if (!url.startsWith('/health') && root.isLevelEnabled('error')) {
      const started = Date.now();
      response.once('close', () => {
        const failed = response.statusCode >= 500;
        const level = failed ? 'error' : 'info';
        if (!root.isLevelEnabled(level)) return;
        root[level](
          {
            ...bindings,
            res: { statusCode: response.statusCode },
            responseTime: Date.now() - started,
          },
          failed
            ? 'request errored'
            : response.writableFinished
              ? 'request completed'
              : 'request aborted',
        );
      });
    }
    storage.run(new RequestLogStore(root, bindings), next);
  };
}
