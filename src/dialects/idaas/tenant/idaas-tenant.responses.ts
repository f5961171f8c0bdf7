import type { ApiResponseExamples } from '@nestjs/swagger';
import type { PolicyViolation } from '../../../policy/password-policy.types';
import { IDAAS_TENANT_ERRORS } from '../idaas.errors';
import { idaasViolationError } from '../idaas-violation.messages';

type TenantError = keyof typeof IDAAS_TENANT_ERRORS;

/**
 * Swagger examples of the tenant API's 400 bodies, built from the same tables the renderer uses,
 * so the documentation cannot drift from the wire.
 */
function example(code: TenantError, summary: string): ApiResponseExamples {
  const entry = IDAAS_TENANT_ERRORS[code];
  return {
    summary,
    value:
      'oauthError' in entry
        ? { error: entry.oauthError, error_description: entry.description }
        : { error_code: entry.code, error_msg: entry.message },
  };
}

function violation(summary: string, value: PolicyViolation): ApiResponseExamples {
  return { summary, value: idaasViolationError('tenant', 'en', value) };
}

export const INVALID_ACCESS = example(
  'TOKEN_INVALID',
  'Missing, bad or expired token, or a client that may not use the tenant API',
);
export const INVALID_PARAMETER = example(
  'INVALID_ARGUMENT',
  'A missing or malformed parameter (the message names it)',
);

/** Every answer of the token endpoint besides 200. */
export const TOKEN_ERRORS = {
  description:
    'HTTP 400. Wrong or missing client credentials, an application that is not `m2m` or lacks ' +
    'the `admin` scope: `invalid_token`. A `grant_type` other than `client_credentials`: a parameter error.',
  examples: { invalid_access: INVALID_ACCESS, invalid_parameter: INVALID_PARAMETER },
};

/** The policy answers of seed 002; only the first violated rule is reported (API.md §4). */
const PASSWORD_EXAMPLES = {
  'PWD.0001': violation('A previous or the current password', {
    rule: 'history',
    params: { count: 5 },
  }),
  'PWD.0002': violation('The user name or its reverse', { rule: 'username', params: {} }),
  'PWD.0003': violation('Contains personal information', {
    rule: 'personal_info',
    params: { items: ['username'] },
  }),
  'PWD.0004': violation('Too few character classes', {
    rule: 'character_classes',
    params: { min: 3, actual: 1, missing: ['uppercase', 'digit', 'other'] },
  }),
  'PWD.0005': violation('A common (weak) password', { rule: 'common_password', params: {} }),
  'PWD.0006': violation('Too many repeated characters', {
    rule: 'repeated_chars',
    params: { max: 3 },
  }),
  'PWD.0007': violation('Too short or too long', { rule: 'length', params: { min: 8, max: 20 } }),
};

export const CHANGE_PASSWORD_ERRORS = {
  description:
    'HTTP 400 (seed 002). `IDAAS.TENANT.USER.0001` no such user; `IDAAS.TENANT.PWD.0001`–`0007` the ' +
    'password breaks the policy or history (the first violated rule; `{0}`/`{1}` filled); ' +
    '`invalid_token` for a missing, bad or expired token. Chinese messages with `X-L: zh…`.',
  examples: {
    invalid_access: INVALID_ACCESS,
    'USER.0001': example('USER_NOT_FOUND', 'No such user'),
    ...PASSWORD_EXAMPLES,
    invalid_parameter: INVALID_PARAMETER,
  },
};

export const CREATE_USER_ERRORS = {
  description:
    'HTTP 400. A taken user name, mobile or email; a password that breaks the policy ' +
    '(`IDAAS.TENANT.PWD.000x`); a bad parameter; `invalid_token` for a missing, bad or expired token.',
  examples: {
    invalid_access: INVALID_ACCESS,
    conflict: example('CONFLICT', 'User name, mobile or email already in use'),
    ...PASSWORD_EXAMPLES,
    invalid_parameter: INVALID_PARAMETER,
  },
};
