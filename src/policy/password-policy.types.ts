/**
 * Stable violation ids (API.md §1). Also the default order in which a dialect that answers with a
 * single code reports them (API.md §4); the native API returns every violation.
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

/** The four character classes of `min_character_classes`, in the order messages name them. */
export const CHARACTER_CLASSES = ['lowercase', 'uppercase', 'digit', 'other'] as const;
export type CharacterClass = (typeof CHARACTER_CLASSES)[number];

/** What `personal_info` may find in a password; never the value itself. */
export const PERSONAL_INFO_ITEMS = ['username', 'phone_number', 'email', 'name'] as const;
export type PersonalInfoItem = (typeof PERSONAL_INFO_ITEMS)[number];

type NoParams = Record<string, never>;

/**
 * `length` in code points; when the 72-byte bcrypt limit is the reason, also the byte limit and the
 * password's byte count (both or neither).
 */
export type LengthViolationParams =
  | { min: number; max: number; max_bytes?: undefined; actual_bytes?: undefined }
  | { min: number; max: number; max_bytes: number; actual_bytes: number };

/**
 * The parameters of each rule's violation, snake_case because the native API serialises them as
 * they are. Dialects fill their message placeholders from these.
 */
export interface ViolationParams {
  same_as_current: NoParams;
  min_age: { minutes: number; retry_after_seconds: number };
  length: LengthViolationParams;
  character_classes: { min: number; actual: number; missing: CharacterClass[] };
  username: NoParams;
  personal_info: { items: PersonalInfoItem[] };
  repeated_chars: { max: number };
  common_password: NoParams;
  history: { count: number };
}

/**
 * A broken rule as data; wording lives in the dialects. Discriminated by `rule`, so narrowing on it
 * gives that rule's params. `PolicyViolation<'length'>` is one rule's violation.
 */
export type PolicyViolation<K extends PolicyRuleId = PolicyRuleId> = {
  [R in K]: { rule: R; params: ViolationParams[R] };
}[K];

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

/** The order of API.md §4; a one-code dialect may pass its own to `firstViolation`. */
export const DEFAULT_VIOLATION_ORDER: readonly PolicyRuleId[] = POLICY_RULE_IDS;

/**
 * The violation a dialect that answers with one code reports: the earliest in `order` (a rule the
 * order leaves out comes last). Stable, so equal ranks keep the engine's order.
 */
export function firstViolation<V extends PolicyViolation>(
  violations: readonly V[],
  order: readonly PolicyRuleId[] = DEFAULT_VIOLATION_ORDER,
): V | undefined {
  const rank = (violation: V): number => {
    const index = order.indexOf(violation.rule);
    return index === -1 ? order.length : index;
  };
  return [...violations].sort((a, b) => rank(a) - rank(b))[0];
}
