import {
  pickPolicyFields,
  POLICY_BOUNDS,
  policyProblems,
  sanitizeStoredSettings,
} from './password-policy.bounds';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './password-policy.types';

const fieldsOf = (policy: Record<keyof PasswordPolicy, unknown>) =>
  policyProblems(policy).map((problem) => problem.field);
const withField = (field: string, value: unknown) =>
  ({ ...DEFAULT_PASSWORD_POLICY, [field]: value }) as Record<keyof PasswordPolicy, unknown>;

// Each numeric field at its bounds and just outside them; min_length ≤ max_length is kept by
// pairing the two length fields.
const edges = Object.entries(POLICY_BOUNDS).flatMap(([field, { min, max }]) => [
  [field, min, true],
  [field, max, true],
  [field, min - 1, false],
  [field, max + 1, false],
]);

describe('policyProblems', () => {
  it('should accept the defaults', () => {
    expect(policyProblems(DEFAULT_PASSWORD_POLICY)).toEqual([]);
  });

  it.each(edges)('should judge %s = %i as valid=%s', (field, value, valid) => {
    const policy =
      field === 'min_length' || field === 'max_length'
        ? { ...withField('min_length', value), max_length: value }
        : withField(field as string, value);
    expect(fieldsOf(policy).length === 0).toBe(valid);
    if (!valid) expect(fieldsOf(policy)).toContain(field);
  });

  it.each([
    ['a fraction', 'history_count', 2.5],
    ['a numeric string', 'history_count', '5'],
    ['null', 'min_length', null],
    ['NaN', 'max_length', Number.NaN],
    ['a number for a boolean', 'forbid_username', 1],
    ['a string for a boolean', 'block_common_passwords', 'true'],
  ])('should refuse %s for %s', (_name, field, value) => {
    expect(fieldsOf(withField(field, value))).toEqual([field]);
  });

  it.each([
    [{ min_length: 10, max_length: 10 }, []],
    [{ min_length: 11, max_length: 10 }, ['min_length']],
    [{ max_age_days: 1, min_age_minutes: 1439 }, []],
    [{ max_age_days: 1, min_age_minutes: 1440 }, ['min_age_minutes']],
    [{ max_age_days: 0, min_age_minutes: 525_600 }, []],
  ])('should check fields against each other: %j → %j', (changes, fields) => {
    expect(fieldsOf({ ...DEFAULT_PASSWORD_POLICY, ...changes })).toEqual(fields);
  });
});

describe('pickPolicyFields', () => {
  it('should keep known fields that are set, dropping undefined and unknown ones', () => {
    expect(pickPolicyFields({ min_length: 9, max_length: undefined, other: 1 })).toEqual({
      min_length: 9,
    });
  });
});

describe('sanitizeStoredSettings', () => {
  it.each([
    [{ min_length: 9, retired_field: true }, { min_length: 9 }],
    [{ min_length: '9', forbid_username: false }, { forbid_username: false }],
    [null, {}],
    [[1, 2], {}],
  ])('should read %j as %j', (raw, expected) => {
    expect(sanitizeStoredSettings(raw)).toEqual(expected);
  });
});
