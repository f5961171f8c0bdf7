import { HttpException } from '@nestjs/common';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailability } from './database-unavailability';
import { IdentityError, IdentityErrorCode } from './identity-error';

/** The fields of an `http-errors` error (body-parser, raw-body, the router) that are read here. */
interface ClientHttpError {
  status: number;
  expose: true;
}

/**
 * An error the HTTP stack raised about the client's request: `http-errors` marks those `expose`
 * with a 4xx status. Errors from server code carry neither, so they stay INTERNAL.
 */
function isClientHttpError(error: unknown): error is ClientHttpError {
  if (typeof error !== 'object' || error === null) return false;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Turns anything thrown while handling a request into an `IdentityError`: framework errors
 * (body-parser's malformed JSON, oversized body, unsupported charset or content encoding, too many
 * form parameters, a compressed body that does not inflate; unknown routes) become the matching
 * code, a database that cannot be reached or does not answer in time becomes SERVICE_BUSY with a
 * retry hint (503 in every dialect), anything unexpected becomes INTERNAL. Every dialect renderer
 * starts here.
 */
export function toIdentityError(error: unknown): IdentityError {
  if (error instanceof IdentityError) return error;
  const unavailable = databaseUnavailability(error);
  if (unavailable !== undefined) {
    return new IdentityError(IdentityErrorCode.SERVICE_BUSY, {
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      database: unavailable,
    });
  }
  const bodyParserType = (error as { type?: unknown } | null)?.type;
  if (bodyParserType === 'entity.too.large')
    return new IdentityError(IdentityErrorCode.PAYLOAD_TOO_LARGE);
  if (typeof bodyParserType === 'string' && bodyParserType.startsWith('entity.')) {
    return new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, { reason: 'malformed body' });
  }
  if (bodyParserType === 'charset.unsupported' || bodyParserType === 'encoding.unsupported') {
    return new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
      reason: 'unsupported encoding',
    });
  }
  // Form bodies: more fields than any endpoint takes is bad input, not an oversized body.
  if (bodyParserType === 'parameters.too.many') {
    return new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, { reason: 'too many parameters' });
  }
  if (error instanceof SyntaxError || error instanceof URIError) {
    return new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, { reason: 'malformed body' });
  }
  if (error instanceof HttpException) {
    const status: number = error.getStatus();
    const byStatus: Record<number, IdentityErrorCode> = {
      401: IdentityErrorCode.AUTHENTICATION_REQUIRED,
      403: IdentityErrorCode.FORBIDDEN,
      404: IdentityErrorCode.NOT_FOUND,
      405: IdentityErrorCode.METHOD_NOT_ALLOWED,
      413: IdentityErrorCode.PAYLOAD_TOO_LARGE,
      415: IdentityErrorCode.UNSUPPORTED_MEDIA_TYPE,
    };
    // The domain never throws HttpException: a 400 here is Nest's own mapping of body-parser's
    // SyntaxError (malformed JSON) or of a malformed %-escape in the URL.
    if (status === 400) {
      return new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, { reason: 'malformed request' });
    }
    // @nestjs/terminus answers an unhealthy readiness check with 503.
    if (status === 503) {
      return new IdentityError(IdentityErrorCode.SERVICE_BUSY, {
        retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      });
    }
    return new IdentityError(byStatus[status] ?? IdentityErrorCode.INTERNAL);
  }
  // Any other client error of the HTTP stack, e.g. a `Content-Encoding: gzip` body that is not
  // gzip (zlib's error, re-thrown by body-parser as a 400 without a `type`).
  if (isClientHttpError(error)) {
    return error.status === 413
      ? new IdentityError(IdentityErrorCode.PAYLOAD_TOO_LARGE)
      : new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, { reason: 'malformed body' });
  }
  return new IdentityError(IdentityErrorCode.INTERNAL);
}
