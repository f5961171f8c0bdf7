import type { Request } from 'express';
import { type IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { type Language, languageOf } from '../../common/i18n/message-table';
import { DialectErrorRenderer, type WireError } from '../../common/http/dialect-error.renderer';
import type { FieldError } from '../../common/http/validation-errors';
import { firstViolation, type PolicyViolation } from '../../policy/password-policy.types';
import {
  IDAAS_SDK_ERRORS,
  IDAAS_SDK_REASONS,
  IDAAS_TENANT_ERRORS,
  type IdaasErrorEntry,
  idaasSdkReasonOf,
} from './idaas.errors';
import { type IdaasApi, idaasViolationError } from './idaas-violation.messages';

const TABLES: Readonly<Record<IdaasApi, Readonly<Record<IdentityErrorCode, IdaasErrorEntry>>>> = {
  tenant: IDAAS_TENANT_ERRORS,
  sdk: IDAAS_SDK_ERRORS,
};

/**
 * Every error on `/api/v2/tenant/*` (seed 002) or `/api/v2/sdk/*` (seed 004):
 * `{"error_code": "IDAAS.…", "error_msg": "…"}`, HTTP 400 unless the protocol needs another status.
 */
export class IdaasErrorRenderer extends DialectErrorRenderer {
  readonly dialect: 'idaas-tenant' | 'idaas-sdk';

  constructor(private readonly api: IdaasApi) {
    super();
    this.dialect = api === 'tenant' ? 'idaas-tenant' : 'idaas-sdk';
  }

  protected toWire(error: IdentityError, request: Request): WireError {
    const reason = this.api === 'sdk' ? idaasSdkReasonOf(error) : undefined;
    const entry: IdaasErrorEntry = reason
      ? IDAAS_SDK_REASONS[reason]
      : TABLES[this.api][error.code];
    if ('oauthError' in entry) {
      return {
        status: entry.status,
        body: { error: entry.oauthError, error_description: entry.description },
      };
    }
    const lang = language(request);
    if (error.code === IdentityErrorCode.PASSWORD_POLICY_VIOLATION) {
      const first = firstViolation(
        (error.details.violations as PolicyViolation[] | undefined) ?? [],
      );
      if (first) {
        return {
          status: entry.status,
          body: idaasViolationError(this.api, lang, first),
        };
      }
    }
    return {
      status: entry.status,
      body: {
        error_code: entry.code,
        error_msg: withFields(lang === 'zh' ? entry.zh : entry.message, error),
      },
    };
  }
}

/** The language of the messages: the vendor's `X-L` header, Chinese when it starts with `zh`. */
function language(request: Request): Language {
  return languageOf(request.get('X-L'));
}

/** Names the offending fields of a validation failure, as the vendor's PARAM messages name theirs. */
function withFields(message: string, error: IdentityError): string {
  const fields = error.details.fields as FieldError[] | undefined;
  if (error.code !== IdentityErrorCode.INVALID_ARGUMENT || !Array.isArray(fields)) return message;
  return fields.length === 0 ? message : `${message}: ${fields.map((f) => f.field).join(', ')}`;
}
