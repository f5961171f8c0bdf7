/**
 * Stable violation ids, in the order a dialect that answers with a single code reports them
 * (API.md §4). The native API returns every violation.
 */
export const POLICY_RULE_IDS = [
  'same_as_current',
  'min_age',
  'length',
  'character_classes',
  'username',
  'personal_info',
  'repeated_chars',
  'common_password',
  'history',
] as const;
export type PolicyRuleId = (typeof POLICY_RULE_IDS)[number];

/** A broken rule as data; wording lives in the dialects. */
export interface PolicyViolation {
  rule: PolicyRuleId;
  params: Record<string, unknown>;
}

/** The password policy (API.md §1), wire names, so it is stored and served as-is. */
export interface PasswordPolicy {
  min_length: number;
  max_length: number;
  min_character_classes: number;
  forbid_username: boolean;
  forbid_personal_info: boolean;
  max_repeated_chars: number;
  block_common_passwords: boolean;
  history_count: number;
  max_age_days: number;
  expiry_warn_days: number;
  min_age_minutes: number;
  lockout_threshold: number;
  lockout_window_seconds: number;
  lockout_duration_seconds: number;
}

export const DEFAULT_PASSWORD_POLICY: Readonly<PasswordPolicy> = Object.freeze({
  min_length: 8,
  max_length: 64,
  min_character_classes: 2,
  forbid_username: true,
  forbid_personal_info: true,
  max_repeated_chars: 0,
  block_common_passwords: true,
  history_count: 5,
  max_age_days: 0,
  expiry_warn_days: 7,
  min_age_minutes: 0,
  lockout_threshold: 5,
  lockout_window_seconds: 900,
  lockout_duration_seconds: 900,
});

/** The first violation in the order of API.md §4, for dialects that report one code. */
export function firstViolation(
  violations: readonly PolicyViolation[],
): PolicyViolation | undefined {
  return [...violations].sort(
    (a, b) => POLICY_RULE_IDS.indexOf(a.rule) - POLICY_RULE_IDS.indexOf(b.rule),
  )[0];
}
