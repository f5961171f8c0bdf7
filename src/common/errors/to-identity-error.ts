import { HttpException } from '@nestjs/common';
import { IdentityError, IdentityErrorCode } from './identity-error';

/**
 * Turns anything thrown while handling a request into an `IdentityError`: framework errors
 * (body-parser's malformed JSON or oversized body, unknown routes) become the matching code,
 * anything unexpected becomes INTERNAL. Every dialect filter starts here.
 */
export function toIdentityError(error: unknown): IdentityError {
  if (error instanceof IdentityError) return error;
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
  if (error instanceof SyntaxError || error instanceof URIError) {
    return new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, { reason: 'malformed body' });
  }
  if (error instanceof HttpException) {
    const status: number = error.getStatus();
    const byStatus: Record<number, IdentityErrorCode> = {
      400: IdentityErrorCode.INVALID_ARGUMENT,
      401: IdentityErrorCode.AUTHENTICATION_REQUIRED,
      403: IdentityErrorCode.FORBIDDEN,
      404: IdentityErrorCode.NOT_FOUND,
      405: IdentityErrorCode.METHOD_NOT_ALLOWED,
      413: IdentityErrorCode.PAYLOAD_TOO_LARGE,
      // @nestjs/terminus answers an unhealthy check with 503.
      503: IdentityErrorCode.SERVICE_BUSY,
    };
    return new IdentityError(byStatus[status] ?? IdentityErrorCode.INTERNAL);
  }
  return new IdentityError(IdentityErrorCode.INTERNAL);
}
