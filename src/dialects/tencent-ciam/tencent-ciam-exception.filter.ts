import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IdentityErrorCode } from '../../common/errors/identity-error-code';
import { toIdentityError } from '../../common/errors/to-identity-error';
import { requestId, sendJson } from '../../common/http/error-response';
import { firstViolation, type PolicyViolation } from '../../policy/password-policy.types';
import {
  TENCENT_CONTENT_TYPE,
  TENCENT_ERRORS,
  TENCENT_OTP_ERRORS_BY_CHANNEL,
  TENCENT_VIOLATION_ERRORS,
} from './tencent-ciam.errors';

/** Maps every error, guard failures included, to Tencent Cloud CIAM's wire format. */
@Catch()
export class TencentCiamExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(TencentCiamExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const error = toIdentityError(exception);
    const wire = TENCENT_ERRORS[error.code];
    if (error.code === IdentityErrorCode.INTERNAL) {
      this.logger.error(
        { err: exception, requestId: requestId(request) },
        'Unhandled error (Tencent CIAM)',
      );
    }

    let code: string = wire.error;
    if (error.code === IdentityErrorCode.PASSWORD_POLICY_VIOLATION) {
      const first = firstViolation(
        (error.details.violations as PolicyViolation[] | undefined) ?? [],
      );
      if (first) code = TENCENT_VIOLATION_ERRORS[first.rule];
    }
    if (
      error.code === IdentityErrorCode.OTP_TOKEN_INVALID ||
      error.code === IdentityErrorCode.OTP_CODE_INVALID
    ) {
      const channel = error.details.channel === 'sms' ? 'sms' : 'email';
      code = TENCENT_OTP_ERRORS_BY_CHANNEL[channel][error.code];
    }

    const body: Record<string, string> = { error: code };
    if ('error_description' in wire) body.error_description = wire.error_description;
    const headers: Record<string, string> = {};
    if ('bearerChallenge' in wire) headers['WWW-Authenticate'] = wire.bearerChallenge;
    if (error.code === IdentityErrorCode.CLIENT_AUTHENTICATION_FAILED) {
      headers['WWW-Authenticate'] = 'Basic realm="tessera", charset="UTF-8"';
    }
    if (typeof error.details.retryAfterSeconds === 'number') {
      headers['Retry-After'] = String(Math.max(1, Math.ceil(error.details.retryAfterSeconds)));
    }
    sendJson(response, wire.status, body, headers, TENCENT_CONTENT_TYPE);
  }
}
