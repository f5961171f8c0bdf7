import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './password-policy.types';

/** Same shape as the request-validation errors, so the native API answers both alike. */
export interface PolicyFieldProblem {
  field: string;
  problems: string[];
}

type NumericField = {
  [K in keyof PasswordPolicy]: PasswordPolicy[K] extends number ? K : never;
}[keyof PasswordPolicy];

/**
 * Allowed ranges, shared by the DTO (Swagger, request validation) and the service (which also
 * guards callers that do not come through HTTP). `max_length` may exceed 72 code points: the
 * bcrypt limit of 72 UTF-8 bytes is enforced separately, so what really caps an ASCII password is
 * the byte limit.
 */
export const POLICY_BOUNDS = {
  min_length: { min: 1, max: 128 },
  max_length: { min: 1, max: 128 },
  min_character_classes: { min: 1, max: 4 },
  max_repeated_chars: { min: 0, max: 128 },
  history_count: { min: 0, max: 24 },
  max_age_days: { min: 0, max: 3650 },
  expiry_warn_days: { min: 0, max: 365 },
  min_age_minutes: { min: 0, max: 525_600 },
  lockout_threshold: { min: 0, max: 1000 },
  lockout_window_seconds: { min: 1, max: 86_400 },
  lockout_duration_seconds: { min: 1, max: 31_536_000 },
} as const satisfies Record<NumericField, { min: number; max: number }>;

const FIELDS = Object.keys(DEFAULT_PASSWORD_POLICY) as Array<keyof PasswordPolicy>;

/** Only the known fields that are set (undefined dropped), for storing partial settings. */
export function pickPolicyFields(input: object): Partial<PasswordPolicy> {
  const source = input as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const field of FIELDS) if (source[field] !== undefined) picked[field] = source[field];
  return picked;
}

/** Stored settings as written by an older or newer version: keep only well-typed known fields. */
export function sanitizeStoredSettings(raw: unknown): Partial<PasswordPolicy> {
  if (typeof raw !== 'object' || raw === null) return {};
  const picked = pickPolicyFields(raw) as Record<string, unknown>;
  for (const field of FIELDS) {
    if (field in picked && typeof picked[field] !== typeof DEFAULT_PASSWORD_POLICY[field])
      delete picked[field];
  }
  return picked;
}

/** Every problem of a complete policy: types, ranges, and fields that contradict each other. */
export function policyProblems(
  policy: Record<keyof PasswordPolicy, unknown>,
): PolicyFieldProblem[] {
  const problems: PolicyFieldProblem[] = [];
  const add = (field: string, problem: string) => problems.push({ field, problems: [problem] });
  for (const field of FIELDS) {
    const value = policy[field];
    if (typeof DEFAULT_PASSWORD_POLICY[field] === 'boolean') {
      if (typeof value !== 'boolean') add(field, `${field} must be a boolean`);
      continue;
    }
    const { min, max } = POLICY_BOUNDS[field as NumericField];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      add(field, `${field} must be an integer from ${min} to ${max}`);
  }
  if (problems.length > 0) return problems;
  const valid = policy as PasswordPolicy;
  if (valid.min_length > valid.max_length)
    add('min_length', 'min_length must not exceed max_length');
  // Otherwise an expired password could not be changed by its owner until min_age had passed.
  if (valid.max_age_days > 0 && valid.min_age_minutes >= valid.max_age_days * 1440)
    add('min_age_minutes', 'min_age_minutes must be shorter than max_age_days');
  return problems;
}
