import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '../password-policy.types';
import { CharacterClassesRule } from './character-classes.rule';
import { COMMON_PASSWORDS, CommonPasswordRule } from './common-password.rule';
import { LengthRule } from './length.rule';
import type { PolicySubject } from './password-rule';
import { PersonalInfoRule } from './personal-info.rule';
import { RepeatedCharsRule } from './repeated-chars.rule';
import { UsernameRule } from './username.rule';

const policy = (overrides: Partial<PasswordPolicy> = {}): PasswordPolicy => ({
  ...DEFAULT_PASSWORD_POLICY,
  ...overrides,
});
const subject: PolicySubject = {
  username: 'Alice_W',
  email: 'alice.wong@example.com',
  phoneNumber: '+8613800138000',
  name: '张三',
};
// Rules receive NFKC-normalised input, as PasswordPolicyService.evaluate passes it.
const nfkc = (s: string) => s.normalize('NFKC');

describe(LengthRule.name, () => {
  const rule = new LengthRule();
  it.each([
    ['7 code points', 'a'.repeat(7), false],
    ['exactly min 8', 'a'.repeat(8), true],
    ['exactly max 64', 'a'.repeat(64), true],
    ['65 code points', 'a'.repeat(65), false],
    ['8 emoji count as 8 (32 bytes)', '😀'.repeat(8), true],
    ['7 emoji', '😀'.repeat(7), false],
    ['8 CJK characters', '密码密码密码密码', true],
    ['fullwidth folded by NFKC keeps its length', nfkc('ＡＢＣＤＥＦＧＨ'), true],
  ])('%s → ok=%s', (_name, password, ok) => {
    expect(rule.check(password, subject, policy()) === null).toBe(ok);
  });

  it('should report the 72-byte bcrypt limit even when the code-point limit allows more', () => {
    expect(rule.check('密'.repeat(25), subject, policy({ max_length: 128 }))).toEqual({
      rule: 'length',
      params: { min: 8, max: 128, max_bytes: 72 },
    });
    expect(rule.check('a'.repeat(72), subject, policy({ max_length: 128 }))).toBeNull();
  });
});

describe(CharacterClassesRule.name, () => {
  const rule = new CharacterClassesRule();
  it.each([
    ['lower only', 'abcdefgh', 1],
    ['lower + upper', 'abcdEFGH', 2],
    ['lower + digit', 'abcd1234', 2],
    ['CJK is other', 'abcd密码', 2],
    ['symbol is other', 'abcd!@#$', 2],
    ['accented lower + upper', 'éèêÉÈÊab', 2],
    ['all four', 'aB3$', 4],
    ['Arabic-Indic digits are digits', 'abcd١٢٣', 2],
  ])('%s has %i classes', (_name, password, classes) => {
    expect(CharacterClassesRule.classesOf(password)).toHaveLength(classes);
  });

  it.each([
    [1, 'abcdefgh', true],
    [2, 'abcdefgh', false],
    [3, 'abcdEFGH', false],
    [3, 'abcdEF12', true],
    [4, 'abcdEF12', false],
    [4, 'abEF12!?', true],
  ])('min %i, %s → ok=%s', (min, password, ok) => {
    expect(rule.check(password, subject, policy({ min_character_classes: min })) === null).toBe(ok);
  });
});

describe(UsernameRule.name, () => {
  const rule = new UsernameRule();
  it.each([
    ['equal', 'Alice_W', false],
    ['equal, other case', 'alice_w', false],
    ['reversed', 'W_ecilA', false],
    ['reversed, other case', 'w_ecila', false],
    ['contains but not equal (personal_info, not this rule)', 'Alice_W1', true],
  ])('%s → ok=%s', (_name, password, ok) => {
    expect(rule.check(password, subject, policy()) === null).toBe(ok);
  });

  it('should be off when forbid_username is false', () => {
    expect(rule.check('Alice_W', subject, policy({ forbid_username: false }))).toBeNull();
  });
});

describe(PersonalInfoRule.name, () => {
  const rule = new PersonalInfoRule();
  it.each([
    ['username inside', 'xxALICE_wyy', ['username']],
    ['phone national digits', 'pw13800138000!', ['phone_number']],
    ['email local part', 'my-Alice.Wong-pw', ['email']],
    ['name in pinyin, joined', 'ZhangSan2024!', ['name']],
    ['name in pinyin, spaced', 'hi zhang san!', ['name']],
    ['nothing personal', 'Correct-Horse-7', null],
  ])('%s → %j', (_name, password, items) => {
    const violation = rule.check(
      password.toLowerCase() === password ? password : password,
      subject,
      policy(),
    );
    expect(violation?.params.items ?? null).toEqual(items);
  });

  it('should not check items shorter than 3 characters', () => {
    const short: PolicySubject = { username: 'al', email: 'bo@example.com', name: 'Li' };
    expect(rule.check('al-bo-li-Passw0rd', short, policy())).toBeNull();
  });

  it('should spell a Chinese name in toneless pinyin', () => {
    expect(PersonalInfoRule.items({ username: 'x', name: '张三' }).name).toEqual([
      'zhangsan',
      'zhang san',
    ]);
  });
});

describe(RepeatedCharsRule.name, () => {
  const rule = new RepeatedCharsRule();
  it.each([
    [0, 'aaaaaaaa', true],
    [3, 'aaab1234', true],
    [3, 'aaaab123', false],
    [2, '密密密码', false],
    [2, '😀😀x😀😀', true],
  ])('max %i, %s → ok=%s', (max, password, ok) => {
    expect(rule.check(password, subject, policy({ max_repeated_chars: max })) === null).toBe(ok);
  });
});

describe(CommonPasswordRule.name, () => {
  const rule = new CommonPasswordRule();
  it('should load a real list of at least 10,000 entries', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThanOrEqual(10_000);
  });

  it.each([
    ['password', false],
    ['PASSWORD', false],
    ['qwerty123', false],
    ['Correct-Horse-Battery-7', true],
  ])('%s → ok=%s', (password, ok) => {
    expect(rule.check(password, subject, policy()) === null).toBe(ok);
  });

  it('should be off when block_common_passwords is false', () => {
    expect(rule.check('password', subject, policy({ block_common_passwords: false }))).toBeNull();
  });
});
