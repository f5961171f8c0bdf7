import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IdentityErrorCode } from '../errors/identity-error-code';
import { toIdentityError } from '../errors/to-identity-error';
import { NATIVE_ERRORS } from './native-errors';
import { requestId, sendJson } from './error-response';

/** Maps every error to the native wire format (API.md §2). Registered globally. */
@Catch()
export class NativeExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(NativeExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const error = toIdentityError(exception);
    const wire = NATIVE_ERRORS[error.code];
    if (error.code === IdentityErrorCode.INTERNAL) {
      this.logger.error(
        { err: exception, requestId: requestId(request) },
        'Unhandled error while serving a request',
      );
    }
    const body: Record<string, unknown> = {
      error: wire.error,
      error_description: wire.description,
    };
    const { violations, fields } = error.details;
    if (Array.isArray(violations)) body.violations = violations;
    if (Array.isArray(fields)) body.fields = fields;
    sendJson(response, wire.status, body, nativeHeaders(error.code, error.details));
  }
}

function nativeHeaders(
  code: IdentityErrorCode,
  details: Record<string, unknown>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const retryAfter = details.retryAfterSeconds;
  if (typeof retryAfter === 'number')
    headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfter)));
  if (code === IdentityErrorCode.CLIENT_AUTHENTICATION_FAILED) {
    headers['WWW-Authenticate'] = 'Basic realm="tessera", charset="UTF-8"';
  }
  if (code === IdentityErrorCode.TOKEN_INVALID)
    headers['WWW-Authenticate'] = 'Bearer error="invalid_token"';
  if (code === IdentityErrorCode.AUTHENTICATION_REQUIRED) headers['WWW-Authenticate'] = 'Bearer';
  if (code === IdentityErrorCode.INSUFFICIENT_SCOPE) {
    headers['WWW-Authenticate'] = 'Bearer error="insufficient_scope"';
  }
  if (code === IdentityErrorCode.INVALID_GRANT || code === IdentityErrorCode.INVALID_CREDENTIALS) {
    headers['Cache-Control'] = 'no-store';
  }
  return headers;
}
