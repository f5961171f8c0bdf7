import type { Repository } from 'typeorm';
import type { ApplicationsService } from '../applications/applications.service';
import type { PasswordPolicyRecord } from './password-policy-record.entity';
import { PasswordPolicyService } from './password-policy.service';
import {
  DEFAULT_PASSWORD_POLICY,
  firstViolation,
  type PasswordPolicy,
} from './password-policy.types';

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
  it('should return every violation at once, as data', () => {
    const violations = service.evaluate(
      'alice',
      { username: 'alice' },
      policy({ max_repeated_chars: 1 }),
    );
    expect(violations.map((v) => v.rule).sort()).toEqual(
      ['character_classes', 'common_password', 'length', 'personal_info', 'username'].sort(),
    );
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
    [60, 30, 'min_age'],
    [60, 61, null],
  ])(
    'should, with min_age %i minutes and a change %i minutes ago, report %s',
    (minutes, ago, expected) => {
      const now = new Date();
      const violation = service.evaluateMinAge(
        new Date(now.getTime() - ago * 60_000),
        policy({ min_age_minutes: minutes }),
        now,
      );
      expect(violation?.rule ?? null).toBe(expected);
    },
  );

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

  it('should report the bcrypt byte limit as a length violation with max_bytes', () => {
    expect(
      service.evaluate('密'.repeat(30), { username: 'someone' }, policy({ max_length: 128 })),
    ).toContainEqual({ rule: 'length', params: { min: 8, max: 128, max_bytes: 72 } });
  });

  it('should order violations for single-code dialects as API.md §4 does', () => {
    expect(
      firstViolation([
        { rule: 'history', params: {} },
        { rule: 'common_password', params: {} },
        { rule: 'length', params: {} },
      ])?.rule,
    ).toBe('length');
    expect(
      firstViolation([
        { rule: 'history', params: {} },
        { rule: 'same_as_current', params: {} },
      ])?.rule,
    ).toBe('same_as_current');
  });
});
