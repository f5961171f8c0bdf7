import {
  CHARACTER_CLASSES,
  type CharacterClass,
  type PersonalInfoItem,
  type PolicyRuleId,
  type PolicyViolation,
} from './password-policy.types';

type LengthInput = { min: number; max: number } & (
  { maxBytes?: undefined; actualBytes?: undefined } | { maxBytes: number; actualBytes: number }
);

/**
 * The one producer of each violation, so every place that reports a rule (the rules, the hasher,
 * the min-age check, the history lookup) gives it the same shape. Keyed by rule id; the `satisfies`
 * makes a rule id without a producer fail to compile.
 */
export const violation = {
  same_as_current: (): PolicyViolation<'same_as_current'> => ({
    rule: 'same_as_current',
    params: {},
  }),

  min_age: (input: { minutes: number; retryAfterSeconds: number }): PolicyViolation<'min_age'> => ({
    rule: 'min_age',
    params: { minutes: input.minutes, retry_after_seconds: input.retryAfterSeconds },
  }),

  /** Bounds in code points; `maxBytes`/`actualBytes` only when the bcrypt byte limit is the reason. */
  length: ({ min, max, maxBytes, actualBytes }: LengthInput): PolicyViolation<'length'> => ({
    rule: 'length',
    params:
      maxBytes === undefined
        ? { min, max }
        : { min, max, max_bytes: maxBytes, actual_bytes: actualBytes },
  }),

  /** `missing` is derived from `present`, in the canonical class order. */
  character_classes: (input: {
    min: number;
    present: readonly CharacterClass[];
  }): PolicyViolation<'character_classes'> => ({
    rule: 'character_classes',
    params: {
      min: input.min,
      actual: input.present.length,
      missing: CHARACTER_CLASSES.filter((c) => !input.present.includes(c)),
    },
  }),

  username: (): PolicyViolation<'username'> => ({ rule: 'username', params: {} }),

  personal_info: (input: {
    items: readonly PersonalInfoItem[];
  }): PolicyViolation<'personal_info'> => ({
    rule: 'personal_info',
    params: { items: [...input.items] },
  }),

  repeated_chars: (input: { max: number }): PolicyViolation<'repeated_chars'> => ({
    rule: 'repeated_chars',
    params: { max: input.max },
  }),

  common_password: (): PolicyViolation<'common_password'> => ({
    rule: 'common_password',
    params: {},
  }),

  history: (input: { count: number }): PolicyViolation<'history'> => ({
    rule: 'history',
    params: { count: input.count },
  }),
} satisfies { [K in PolicyRuleId]: (...args: never[]) => PolicyViolation<K> };
