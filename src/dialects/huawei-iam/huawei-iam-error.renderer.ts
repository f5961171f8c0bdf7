import type { Request } from 'express';
import { type IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { violationMessage } from '../../common/i18n/violation-messages';
import { DialectErrorRenderer, type WireError } from '../../common/http/dialect-error.renderer';
import type { FieldError } from '../../common/http/validation-errors';
import { firstViolation, type PolicyViolation } from '../../policy/password-policy.types';
import {
  HUAWEI_ERRORS,
  HUAWEI_STATUS_TITLES,
  HUAWEI_V3_0_CODES,
  HUAWEI_VIOLATION_CODES,
  HUAWEI_VIOLATION_MESSAGES,
  HUAWEI_VIOLATION_ORDER,
  type HuaweiWireError,
} from './huawei-iam.errors';

/**
 * Every error on `/v3` and `/v3.0`, for Keystone clients and Huawei's SDKs alike (API.md §3): with
 * an IAM code, `{"error":{"code":"1103",…},"error_code":"1103","error_msg":…}` (the SDKs read
 * `error.code`, else `error_code`); otherwise Keystone's `{"error":{"code":401,"title":…,"message":…}}`.
 * The `/v3.0` security-policy routes answer Huawei's `{"error_msg","error_code":"IAM.xxxx"}`.
 */
export class HuaweiIamErrorRenderer extends DialectErrorRenderer {
  readonly dialect = 'huawei';

  protected toWire(error: IdentityError, request: Request): WireError {
    const wire: HuaweiWireError = HUAWEI_ERRORS[error.code];
    let iamCode = wire.iamCode;
    let message = detailedMessage(error) ?? wire.message;
    if (error.code === IdentityErrorCode.PASSWORD_POLICY_VIOLATION) {
      const first = firstViolation(
        (error.details.violations as PolicyViolation[] | undefined) ?? [],
        HUAWEI_VIOLATION_ORDER,
      );
      if (first) {
        iamCode = HUAWEI_VIOLATION_CODES[first.rule];
        message = violationMessage(HUAWEI_VIOLATION_MESSAGES, first);
      }
    }
    if (/^\/v3\.0\//i.test(request.path)) {
      return {
        status: wire.status,
        body: { error_msg: message, error_code: HUAWEI_V3_0_CODES[wire.status] },
      };
    }
    const title = HUAWEI_STATUS_TITLES[wire.status];
    const body =
      iamCode === undefined
        ? { error: { code: wire.status, title, message } }
        : { error: { code: iamCode, title, message }, error_code: iamCode, error_msg: message };
    return { status: wire.status, body, headers: keystoneChallenge(wire.status, request) };
  }
}

/** Names the offending fields of a validation failure, which the SDKs show to the developer. */
function detailedMessage(error: IdentityError): string | undefined {
  if (error.code !== IdentityErrorCode.INVALID_ARGUMENT) return undefined;
  const fields = error.details.fields as FieldError[] | undefined;
  if (Array.isArray(fields) && fields.length > 0) {
    return `Missing or invalid parameter: ${fields.map((f) => f.field).join(', ')}.`;
  }
  const reason = error.details.reason;
  return typeof reason === 'string' ? `Invalid request: ${reason}.` : undefined;
}

/** Keystone names itself in the challenge of every 401 (RFC 9110 §11.6.1 requires one). */
function keystoneChallenge(status: number, request: Request): Record<string, string> {
  const host = request.get('host');
  // The Host header is the client's; only a plain host[:port] is echoed.
  if (status !== 401 || !host || !/^[\w.:[\]-]+$/.test(host)) return {};
  return { 'WWW-Authenticate': `Keystone uri="${request.protocol}://${host}/v3"` };
}
