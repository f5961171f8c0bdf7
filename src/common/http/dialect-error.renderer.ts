import { Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type IdentityError, IdentityErrorCode } from '../errors/identity-error';
import { toIdentityError } from '../errors/to-identity-error';
import type { Dialect } from './dialect-routing';
import { requestId, sendJson } from './error-response';

/** One error as a dialect puts it on the wire. */
export interface WireError {
  status: number;
  /** JSON body; `undefined` sends none. */
  body: unknown;
  headers?: Record<string, string>;
  /** Defaults to `application/json; charset=utf-8`. */
  contentType?: string;
}

/**
 * The shared base of every dialect's error rendering: whatever was thrown becomes an
 * `IdentityError`, an unexpected one is logged with the request id (its message never reaches the
 * client), and the dialect only words the result (`toWire`). Headers every dialect owes the client
 * (`Allow` on 405, `Retry-After` on a throttle) are added here so none can forget them.
 */
export abstract class DialectErrorRenderer {
  abstract readonly dialect: Dialect;
  private readonly logger = new Logger(this.constructor.name);

  /**
   * The wire form of `error`. `request` is given so a dialect can read what it words by (IDaaS
   * `X-L`, the language of its messages).
   */
  protected abstract toWire(error: IdentityError, request: Request): WireError;

  render(exception: unknown, request: Request, response: Response): void {
    const error = toIdentityError(exception);
    if (error.code === IdentityErrorCode.INTERNAL) {
      this.logger.error(
        { err: exception, requestId: requestId(request), dialect: this.dialect },
        'Unhandled error while serving a request',
      );
    }
    // An outage is logged by its driver code only: a driver's message can name the database host
    // and user (never the password, which is not logged anywhere).
    if (typeof error.details.database === 'string') {
      this.logger.warn(
        { requestId: requestId(request), database: error.details.database },
        'Database unavailable; answered 503',
      );
    }
    const wire = this.describe(error, request);
    sendJson(response, wire.status, wire.body, wire.headers, wire.contentType);
  }

  /** What `render` sends for `error`, without sending it (the OpenAPI document shows these). */
  describe(error: IdentityError, request: Request): WireError {
    const wire = this.toWire(error, request);
    return { ...wire, headers: { ...commonHeaders(error), ...wire.headers } };
  }
}

function commonHeaders(error: IdentityError): Record<string, string> {
  const headers: Record<string, string> = {};
  const { allow, retryAfterSeconds } = error.details;
  if (error.code === IdentityErrorCode.METHOD_NOT_ALLOWED && Array.isArray(allow)) {
    headers.Allow = allow.join(', ');
  }
  if (typeof retryAfterSeconds === 'number') {
    headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  }
  return headers;
}
