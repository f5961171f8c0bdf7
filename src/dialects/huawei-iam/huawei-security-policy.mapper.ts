import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import type { PasswordPolicy } from '../../policy/password-policy.types';

/** Huawei's password policy (`GET|PUT /v3.0/OS-SECURITYPOLICY/domains/{domain_id}/password-policy`). */
export interface HuaweiPasswordPolicy {
  maximum_consecutive_identical_chars: number;
  minimum_password_age: number;
  minimum_password_length: number;
  maximum_password_length: number;
  number_of_recent_passwords_disallowed: number;
  password_not_username_or_invert: boolean;
  password_validity_period: number;
  password_char_combination: number;
  password_requirements: string;
}

/** Huawei's login policy (`…/login-policy`). */
export interface HuaweiLoginPolicy {
  login_failed_times: number;
  period_with_login_failures: number;
  lockout_duration: number;
  session_timeout: number;
}

/** Huawei IAM tokens live 24 h; the login policy's `session_timeout` reports that, in minutes. */
export const SESSION_TIMEOUT_MINUTES = 24 * 60;

type Range = readonly [min: number, max: number];

/** Huawei's ranges for what a PUT may set (its API reference, "Modifying the Password Policy"). */
const PASSWORD_RANGES = {
  maximum_consecutive_identical_chars: [0, 32],
  minimum_password_age: [0, 1440],
  minimum_password_length: [6, 32],
  number_of_recent_passwords_disallowed: [0, 10],
  password_validity_period: [0, 180],
  password_char_combination: [2, 4],
} as const satisfies Record<string, Range>;

/** Huawei's ranges for the login policy ("Modifying the Login Authentication Policy"), minutes. */
const LOGIN_RANGES = {
  login_failed_times: [3, 10],
  period_with_login_failures: [15, 60],
  lockout_duration: [15, 30],
  session_timeout: [15, 1440],
} as const satisfies Record<string, Range>;

const CLASS_NAMES = 'uppercase letters, lowercase letters, digits, and special characters';

/**
 * The realm policy in Huawei's names. Huawei counts the current password among the "recent
 * passwords disallowed"; Tessera always refuses the current one and counts only the ones before
 * it (`history_count`), hence the +1.
 */
export function toHuaweiPasswordPolicy(policy: PasswordPolicy): HuaweiPasswordPolicy {
  return {
    maximum_consecutive_identical_chars: policy.max_repeated_chars,
    minimum_password_age: policy.min_age_minutes,
    minimum_password_length: policy.min_length,
    maximum_password_length: policy.max_length,
    number_of_recent_passwords_disallowed: policy.history_count + 1,
    password_not_username_or_invert: policy.forbid_username,
    password_validity_period: policy.max_age_days,
    password_char_combination: policy.min_character_classes,
    password_requirements:
      `The password must contain ${policy.min_length} to ${policy.max_length} characters and at ` +
      `least ${policy.min_character_classes} of the following character types: ${CLASS_NAMES}.`,
  };
}

export function toHuaweiLoginPolicy(policy: PasswordPolicy): HuaweiLoginPolicy {
  return {
    login_failed_times: policy.lockout_threshold,
    period_with_login_failures: Math.round(policy.lockout_window_seconds / 60),
    lockout_duration: Math.round(policy.lockout_duration_seconds / 60),
    session_timeout: SESSION_TIMEOUT_MINUTES,
  };
}

/** A PUT body `{"password_policy":{…}}` as a partial realm policy; every field optional. */
export function fromHuaweiPasswordPolicy(body: unknown): Partial<PasswordPolicy> {
  const fields = policyObject(body, 'password_policy');
  const number = (name: keyof typeof PASSWORD_RANGES): number | undefined =>
    integerIn(fields, name, PASSWORD_RANGES[name], 'password_policy');
  const changes: Partial<PasswordPolicy> = {};
  const set = <K extends keyof PasswordPolicy>(key: K, value: PasswordPolicy[K] | undefined) => {
    if (value !== undefined) changes[key] = value;
  };
  set('max_repeated_chars', number('maximum_consecutive_identical_chars'));
  set('min_age_minutes', number('minimum_password_age'));
  set('min_length', number('minimum_password_length'));
  const recent = number('number_of_recent_passwords_disallowed');
  set('history_count', recent === undefined ? undefined : Math.max(0, recent - 1));
  set('max_age_days', number('password_validity_period'));
  set('min_character_classes', number('password_char_combination'));
  const invert = fields.password_not_username_or_invert;
  if (invert !== undefined) {
    if (typeof invert !== 'boolean')
      throw invalid('password_policy.password_not_username_or_invert');
    changes.forbid_username = invert;
  }
  rejectUnknown(
    fields,
    [...Object.keys(PASSWORD_RANGES), 'password_not_username_or_invert'],
    'password_policy',
  );
  return changes;
}

/**
 * A PUT body `{"login_policy":{…}}` as a partial realm policy. `session_timeout` is checked
 * against Huawei's range and otherwise not applied: Tessera's token lifetimes are fixed.
 */
export function fromHuaweiLoginPolicy(body: unknown): Partial<PasswordPolicy> {
  const fields = policyObject(body, 'login_policy');
  const number = (name: keyof typeof LOGIN_RANGES): number | undefined =>
    integerIn(fields, name, LOGIN_RANGES[name], 'login_policy');
  const changes: Partial<PasswordPolicy> = {};
  const failures = number('login_failed_times');
  if (failures !== undefined) changes.lockout_threshold = failures;
  const window = number('period_with_login_failures');
  if (window !== undefined) changes.lockout_window_seconds = window * 60;
  const duration = number('lockout_duration');
  if (duration !== undefined) changes.lockout_duration_seconds = duration * 60;
  number('session_timeout');
  rejectUnknown(fields, Object.keys(LOGIN_RANGES), 'login_policy');
  return changes;
}

const invalid = (field: string, problem = 'missing or invalid'): IdentityError =>
  new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
    fields: [{ field, problems: [problem] }],
  });

function policyObject(body: unknown, name: string): Record<string, unknown> {
  const outer = body as Record<string, unknown> | null;
  const inner = typeof outer === 'object' && outer !== null ? outer[name] : undefined;
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) throw invalid(name);
  return inner as Record<string, unknown>;
}

function integerIn(
  fields: Record<string, unknown>,
  name: string,
  [min, max]: Range,
  parent: string,
): number | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw invalid(`${parent}.${name}`, `must be an integer from ${min} to ${max}`);
  return value;
}

function rejectUnknown(fields: Record<string, unknown>, known: string[], parent: string): void {
  const unknown = Object.keys(fields).find((key) => !known.includes(key));
  if (unknown) throw invalid(`${parent}.${unknown}`, 'unknown field');
}
