import type { Request } from 'express';
import { type IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { invalidArgumentDescription } from '../../common/errors/invalid-argument-reasons';
import { DialectErrorRenderer, type WireError } from '../../common/http/dialect-error.renderer';
import { firstViolation, type PolicyViolation } from '../../policy/password-policy.types';
import {
  TENCENT_CONTENT_TYPE,
  TENCENT_ERRORS,
  TENCENT_OTP_ERRORS_BY_CHANNEL,
  TENCENT_VIOLATION_ERRORS,
} from './tencent-ciam.errors';

/** Every error on Tencent Cloud CIAM's paths, in its wire format (seeds 000 and 001, API.md §3–§4). */
export class TencentCiamErrorRenderer extends DialectErrorRenderer {
  readonly dialect = 'tencent';

  protected toWire(error: IdentityError, _request: Request): WireError {
    const wire = TENCENT_ERRORS[error.code];
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
    const reason =
      error.code === IdentityErrorCode.INVALID_ARGUMENT
        ? invalidArgumentDescription(error.details)
        : undefined;
    if (reason) body.error_description = reason;
    const headers: Record<string, string> = {};
    if ('bearerChallenge' in wire) headers['WWW-Authenticate'] = wire.bearerChallenge;
    if (error.code === IdentityErrorCode.CLIENT_AUTHENTICATION_FAILED) {
      headers['WWW-Authenticate'] = 'Basic realm="tessera", charset="UTF-8"';
    }
    return { status: wire.status, body, headers, contentType: TENCENT_CONTENT_TYPE };
  }
}
