import type { Repository } from 'typeorm';
import type { ApplicationsService } from '../applications/applications.service';
import type { PasswordPolicyRecord } from './password-policy-record.entity';
import { PasswordPolicyService } from './password-policy.service';
import {
  DEFAULT_PASSWORD_POLICY,
  DEFAULT_VIOLATION_ORDER,
  firstViolation,
  type PasswordPolicy,
  type PolicyRuleId,
  type PolicyViolation,
} from './password-policy.types';
import { violation } from './violations';

// evaluate/evaluateMinAge/passwordExpiry are pure; storage is exercised by the e2e suites.
const service = new PasswordPolicyService(
  {} as Repository<PasswordPolicyRecord>,
  {} as ApplicationsService,
);
const policy = (overrides: Partial<PasswordPolicy> = {}): PasswordPolicy => ({
  ...DEFAULT_PASSWORD_POLICY,
  ...overrides,
});
const DAY = 86_400_000;

describe(PasswordPolicyService.name, () => {
  it('should return every violation at once, as data with its params', () => {
    const violations = service.evaluate(
      'alice',
      { username: 'alice' },
      policy({ max_repeated_chars: 1 }),
    );
    expect(violations).toEqual([
      { rule: 'length', params: { min: 8, max: 64 } },
      {
        rule: 'character_classes',
        params: { min: 2, actual: 1, missing: ['uppercase', 'digit', 'other'] },
      },
      { rule: 'username', params: {} },
      { rule: 'personal_info', params: { items: ['username'] } },
      { rule: 'common_password', params: {} },
    ]);
    expect(JSON.stringify(violations)).not.toContain('"alice"');
  });

  it('should accept a password that breaks no rule', () => {
    expect(service.evaluate('Correct-Horse-7', { username: 'alice' }, policy())).toEqual([]);
  });

  it('should normalise to NFKC before the rules run', () => {
    expect(
      service
        .evaluate('ｐａｓｓｗｏｒｄ', { username: 'x' }, policy({ min_character_classes: 1 }))
        .map((v) => v.rule),
    ).toEqual(['common_password']);
  });

  it.each([
    [0, 1, null],
    [60, 30, { minutes: 60, retry_after_seconds: 1800 }],
    [60, 59.5, { minutes: 60, retry_after_seconds: 30 }],
    [60, 59.999, { minutes: 60, retry_after_seconds: 1 }],
    [1440, 0, { minutes: 1440, retry_after_seconds: 86_400 }],
    [60, 60, null],
    [60, 61, null],
  ])(
    'should, with min_age %i minutes and a change %d minutes ago, report %j',
    (minutes, ago, params) => {
      const now = new Date();
      const found = service.evaluateMinAge(
        new Date(now.getTime() - ago * 60_000),
        policy({ min_age_minutes: minutes }),
        now,
      );
      expect(found).toEqual(params && { rule: 'min_age', params });
    },
  );

  it('should not apply min_age to a user who never set a password', () => {
    expect(service.evaluateMinAge(null, policy({ min_age_minutes: 60 }))).toBeNull();
  });

  it.each([
    [0, 7, 400, { expired: false, expiringSoon: false, hasDate: false }],
    [90, 7, 10, { expired: false, expiringSoon: false, hasDate: true }],
    [90, 7, 85, { expired: false, expiringSoon: true, hasDate: true }],
    [90, 7, 91, { expired: true, expiringSoon: false, hasDate: true }],
  ])(
    'should, with max_age %i, warn %i and a change %i days ago, report %j',
    (maxAge, warn, ago, expected) => {
      const now = new Date();
      const expiry = service.passwordExpiry(
        new Date(now.getTime() - ago * DAY),
        policy({ max_age_days: maxAge, expiry_warn_days: warn }),
        now,
      );
      expect({
        expired: expiry.expired,
        expiringSoon: expiry.expiringSoon,
        hasDate: expiry.expiresAt !== null,
      }).toEqual(expected);
    },
  );

  it('should find a Chinese name written in pinyin through the whole engine', () => {
    expect(
      service
        .evaluate('Ｚｈａｎｇ Ｓａｎ 2024', { username: 'someone', name: '张三' }, policy())
        .map((v) => v.rule),
    ).toEqual(['personal_info']);
  });

  it('should report the bcrypt byte limit as a length violation with the byte counts', () => {
    expect(
      service.evaluate('密'.repeat(30), { username: 'someone' }, policy({ max_length: 128 })),
    ).toContainEqual({
      rule: 'length',
      params: { min: 8, max: 128, max_bytes: 72, actual_bytes: 90 },
    });
  });
});

describe(firstViolation.name, () => {
  const one: { [K in PolicyRuleId]: PolicyViolation<K> } = {
    same_as_current: violation.same_as_current(),
    min_age: violation.min_age({ minutes: 60, retryAfterSeconds: 30 }),
    length: violation.length({ min: 8, max: 64 }),
    character_classes: violation.character_classes({ min: 3, present: ['lowercase'] }),
    username: violation.username(),
    personal_info: violation.personal_info({ items: ['email'] }),
    repeated_chars: violation.repeated_chars({ max: 2 }),
    common_password: violation.common_password(),
    history: violation.history({ count: 5 }),
  };
  const of = (...rules: PolicyRuleId[]): PolicyViolation[] => rules.map((rule) => one[rule]);

  it('should default to the order of API.md §4', () => {
    expect(DEFAULT_VIOLATION_ORDER).toEqual([
      'same_as_current',
      'min_age',
      'length',
      'character_classes',
      'username',
      'personal_info',
      'repeated_chars',
      'common_password',
      'history',
    ]);
  });

  it.each<[PolicyRuleId[], PolicyRuleId | undefined]>([
    [['history', 'common_password', 'length'], 'length'],
    [['history', 'same_as_current'], 'same_as_current'],
    [['repeated_chars', 'personal_info'], 'personal_info'],
    [['common_password', 'min_age', 'history'], 'min_age'],
    [['username', 'character_classes'], 'character_classes'],
    [[], undefined],
  ])('should, with the default order, pick from %j → %s', (rules, expected) => {
    expect(firstViolation(of(...rules))?.rule).toBe(expected);
  });

  it('should return the violation itself, params included', () => {
    expect(firstViolation(of('history', 'character_classes'))).toEqual({
      rule: 'character_classes',
      params: { min: 3, actual: 1, missing: ['uppercase', 'digit', 'other'] },
    });
  });

  it.each<[PolicyRuleId[], PolicyRuleId[], PolicyRuleId]>([
    [['history', 'length'], ['length', 'history'], 'history'],
    [['common_password'], ['length', 'common_password'], 'common_password'],
    // A rule the order leaves out comes last; among those, the engine's order stands.
    [['history'], ['username', 'history'], 'history'],
    [['min_age'], ['username', 'length'], 'username'],
  ])('should, with the order %j, pick from %j → %s', (order, rules, expected) => {
    expect(firstViolation(of(...rules), order)?.rule).toBe(expected);
  });
});
