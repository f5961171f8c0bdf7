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
  const bounds = { min: 8, max: 64 };
  it.each([
    ['7 code points', 'a'.repeat(7), bounds],
    ['exactly min 8', 'a'.repeat(8), null],
    ['exactly max 64', 'a'.repeat(64), null],
    ['65 code points', 'a'.repeat(65), bounds],
    ['8 emoji (one code point each, 32 bytes)', '😀'.repeat(8), null],
    ['7 emoji', '😀'.repeat(7), bounds],
    ['8 CJK characters', '密码密码密码密码', null],
    ['fullwidth folded by NFKC keeps its length', nfkc('ＡＢＣＤＥＦＧＨ'), null],
    ['e + combining acute composes to one code point', nfkc('e\u0301'.repeat(8)), null],
    ['7 composed characters from 14 input code points', nfkc('e\u0301'.repeat(7)), bounds],
    ['NFKC expands the ligature ﬁ to two', nfkc('ﬁﬁﬁﬁ'), null],
  ])('should judge %s → %j', (_name, password, params) => {
    expect(rule.check(password, subject, policy())).toEqual(params && { rule: 'length', params });
  });

  it.each([
    ['a short', 'abc', { min_length: 8, max_length: 64 }, { min: 8, max: 64 }],
    ['a long', 'a'.repeat(65), { min_length: 8, max_length: 64 }, { min: 8, max: 64 }],
    ['a 5-character', 'abcde', { min_length: 6, max_length: 20 }, { min: 6, max: 20 }],
    [
      'a 25-CJK-character (75-byte)',
      '密'.repeat(25),
      { min_length: 8, max_length: 128 },
      { min: 8, max: 128, max_bytes: 72, actual_bytes: 75 },
    ],
    [
      'a 19-emoji (76-byte)',
      '😀'.repeat(19),
      { min_length: 8, max_length: 20 },
      { min: 8, max: 20, max_bytes: 72, actual_bytes: 76 },
    ],
    [
      'an over-long and over-72-byte',
      'a'.repeat(73),
      { min_length: 8, max_length: 64 },
      { min: 8, max: 64, max_bytes: 72, actual_bytes: 73 },
    ],
  ])('should report %s password with params %j → %j', (_name, password, bounds, params) => {
    expect(rule.check(password, subject, policy(bounds))).toEqual({ rule: 'length', params });
  });

  it.each([
    ['72 ASCII bytes', 'a'.repeat(72), null],
    ['73 ASCII bytes', 'a'.repeat(73), 73],
    ['24 CJK characters = 72 bytes', '密'.repeat(24), null],
    ['25 CJK characters = 75 bytes', '密'.repeat(25), 75],
    ['18 emoji = 72 bytes', '😀'.repeat(18), null],
    ['19 emoji = 76 bytes', '😀'.repeat(19), 76],
  ])(
    'should apply the bcrypt byte limit exactly: %s → actual_bytes %p',
    (_name, password, bytes) => {
      expect(rule.check(password, subject, policy({ max_length: 128 }))).toEqual(
        bytes && {
          rule: 'length',
          params: { min: 8, max: 128, max_bytes: 72, actual_bytes: bytes },
        },
      );
    },
  );
});

describe(CharacterClassesRule.name, () => {
  const rule = new CharacterClassesRule();
  it.each([
    ['lower only', 'abcdefgh', ['lowercase']],
    ['lower + upper', 'abcdEFGH', ['lowercase', 'uppercase']],
    ['lower + digit', 'abcd1234', ['lowercase', 'digit']],
    ['CJK is other', 'abcd密码', ['lowercase', 'other']],
    ['CJK only', '密码密码', ['other']],
    ['symbol is other', 'abcd!@#$', ['lowercase', 'other']],
    ['space is other', 'abcd efg', ['lowercase', 'other']],
    ['emoji is other', 'abcd😀', ['lowercase', 'other']],
    ['accented lower + upper', 'éèêÉÈÊab', ['lowercase', 'uppercase']],
    ['Greek lower + upper', 'αβγΑΒΓ', ['lowercase', 'uppercase']],
    ['all four', 'aB3$', ['lowercase', 'uppercase', 'digit', 'other']],
    ['Arabic-Indic digits are digits', 'abcd١٢٣', ['lowercase', 'digit']],
    ['fullwidth digits fold to digits', nfkc('abcd１２３'), ['lowercase', 'digit']],
  ])('should find in %s the classes %j', (_name, password, classes) => {
    expect(CharacterClassesRule.classesOf(password)).toEqual(classes);
  });

  it.each([
    [1, 'abcdefgh', null],
    [2, 'abcdefgh', { min: 2, actual: 1, missing: ['uppercase', 'digit', 'other'] }],
    [3, 'abcdEFGH', { min: 3, actual: 2, missing: ['digit', 'other'] }],
    [3, 'abcdEF12', null],
    [4, 'abcdEF12', { min: 4, actual: 3, missing: ['other'] }],
    [4, 'ABCD!@#$', { min: 4, actual: 2, missing: ['lowercase', 'digit'] }],
    [3, '密码密码', { min: 3, actual: 1, missing: ['lowercase', 'uppercase', 'digit'] }],
    [4, 'abEF12!?', null],
    [4, 'abEF12密码', null],
  ])('should, with min %i, judge %s → %j', (min, password, params) => {
    const violation = rule.check(password, subject, policy({ min_character_classes: min }));
    expect(violation).toEqual(params && { rule: 'character_classes', params });
  });
});

describe(UsernameRule.name, () => {
  const rule = new UsernameRule();
  it.each([
    ['equal', 'Alice_W', false],
    ['equal, other case', 'alice_w', false],
    ['equal, fullwidth folded by NFKC', nfkc('Ａｌｉｃｅ_Ｗ'), false],
    ['reversed', 'W_ecilA', false],
    ['reversed, other case', 'w_ecila', false],
    ['contains but not equal (personal_info, not this rule)', 'Alice_W1', true],
    ['a prefix of it', 'Alice_', true],
  ])('should judge %s as ok=%s', (_name, password, ok) => {
    expect(rule.check(password, subject, policy())).toEqual(
      ok ? null : { rule: 'username', params: {} },
    );
  });

  it.each([
    ['a CJK username', '张三丰', '张三丰', false],
    ['a CJK username reversed', '张三丰', '丰三张', false],
    ['an emoji username reversed by code point', 'ab😀cd', 'dc😀ba', false],
    ['a fullwidth username against its ASCII form', 'ＢＯＢ', 'bob', false],
  ])('should judge %s as ok=%s', (_name, username, password, ok) => {
    expect(rule.check(password, { username }, policy())).toEqual(
      ok ? null : { rule: 'username', params: {} },
    );
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
    ['name in pinyin, upper case', 'ZHANGSAN-2024', ['name']],
    ['several at once, each reported', 'alice_w13800138000', ['username', 'phone_number']],
    [
      'all four, in a fixed order',
      'zhangsan-alice.wong-13800138000-alice_w',
      ['username', 'phone_number', 'email', 'name'],
    ],
    ['the country code without the national number', 'Pass+86-0000', null],
    ['nothing personal', 'Correct-Horse-7', null],
  ])('should report %s → %j', (_name, password, items) => {
    expect(rule.check(password, subject, policy())).toEqual(
      items && { rule: 'personal_info', params: { items } },
    );
  });

  it.each([
    ['a 3-syllable Chinese name', '欧阳娜娜', 'xx-ouyangnana-1', true],
    ['a surname read as a surname (单 → shan)', '单田芳', 'shantianfang!', true],
    ['the everyday reading too (单 → dan)', '单田芳', 'dantianfang!', true],
    ['a Chinese name of 3+ characters written as is', '欧阳娜娜', 'pw欧阳娜娜!', true],
    ['a Latin name, spaced', 'Mary Ann', 'i-am-MARY ANN', true],
    ['a Latin name, joined', 'Mary Ann', 'maryann-2024', true],
    ['a fullwidth Latin name folded by NFKC', 'Ｍａｒｙ', 'mary-2024!', true],
    ['a mixed name keeps its Latin part whole', '王Tom', 'wangtom-99', true],
    ['an unrelated password', '欧阳娜娜', 'Correct-Horse-7', false],
  ])('should check %s', (_name, name, password, found) => {
    expect(rule.check(nfkc(password), { username: 'someone', name }, policy())).toEqual(
      found ? { rule: 'personal_info', params: { items: ['name'] } } : null,
    );
  });

  it('should spell 张三 in toneless pinyin, joined and spaced', () => {
    expect(PersonalInfoRule.items({ username: 'x', name: '张三' }).name).toEqual(
      expect.arrayContaining(['zhangsan', 'zhang san']),
    );
  });

  it.each([
    ['a 2-letter username', { username: 'al' }, 'al-Passw0rd'],
    ['a 2-letter email local part', { username: 'xyz1', email: 'bo@example.com' }, 'bo-Passw0rd'],
    ['a 2-syllable-short pinyin (li)', { username: 'xyz1', name: '李' }, 'li-Passw0rd'],
    ['a 2-letter Latin name', { username: 'xyz1', name: 'Li' }, 'li-Passw0rd'],
  ])('should not check %s (under 3 characters)', (_name, short, password) => {
    expect(rule.check(password, short, policy())).toBeNull();
  });

  it('should check an item of exactly 3 characters', () => {
    expect(rule.check('x-bob-Passw0rd', { username: 'bob' }, policy())).toEqual({
      rule: 'personal_info',
      params: { items: ['username'] },
    });
  });

  it('should be off when forbid_personal_info is false', () => {
    expect(
      rule.check('alice_w13800138000', subject, policy({ forbid_personal_info: false })),
    ).toBeNull();
  });
});

describe(RepeatedCharsRule.name, () => {
  const rule = new RepeatedCharsRule();
  it.each([
    [0, 'aaaaaaaa', true],
    [3, 'aaab1234', true],
    [3, 'aaaab123', false],
    [3, 'ab1aaa2aaa', true],
    [1, 'abcabc', true],
    [1, 'abccba', false],
    [2, '密密密码', false],
    [2, '密密码码', true],
    [2, '😀😀x😀😀', true],
    [2, '😀😀😀', false],
    [2, 'aAa', true],
  ])('should, with max %i, judge %s as ok=%s', (max, password, ok) => {
    expect(rule.check(password, subject, policy({ max_repeated_chars: max }))).toEqual(
      ok ? null : { rule: 'repeated_chars', params: { max } },
    );
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
    ['PassWord', false],
    ['qwerty123', false],
    ['iloveyou', false],
    [nfkc('ｐａｓｓｗｏｒｄ'), false],
    ['Correct-Horse-Battery-7', true],
  ])('should judge %s as ok=%s', (password, ok) => {
    expect(rule.check(password, subject, policy())).toEqual(
      ok ? null : { rule: 'common_password', params: {} },
    );
  });

  it('should be off when block_common_passwords is false', () => {
    expect(rule.check('password', subject, policy({ block_common_passwords: false }))).toBeNull();
  });
});
