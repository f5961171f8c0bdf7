import type { ViolationParams } from '../../policy/password-policy.types';
import { violation } from '../../policy/violations';
import { formatMessage, languageOf, type MessageTable } from './message-table';
import { type ViolationMessages, violationMessage } from './violation-messages';

describe(formatMessage.name, () => {
  it.each<[string, Array<string | number>, string]>([
    [
      'The password must contain {0} to {1} characters',
      [8, 20],
      'The password must contain 8 to 20 characters',
    ],
    ['密码长度为{0}~{1}个字符', [8, 20], '密码长度为8~20个字符'],
    ['{1} before {0}', ['a', 'b'], 'b before a'],
    ['{0} and {0}', [3], '3 and 3'],
    ['no placeholder', [1], 'no placeholder'],
    ['missing {1}', [1], 'missing {1}'],
    ['not re-filled: {0}', ['{1}', 'x'], 'not re-filled: {1}'],
    [
      'a $& replacement pattern stays literal: {0}',
      ['$&'],
      'a $& replacement pattern stays literal: $&',
    ],
  ])('should fill %j with %j → %j', (template, args, expected) => {
    expect(formatMessage(template, args)).toBe(expected);
  });
});

describe(languageOf.name, () => {
  it.each<[string | undefined | null, string]>([
    ['zh', 'zh'],
    ['zh-CN', 'zh'],
    ['ZH_tw', 'zh'],
    [' zh', 'zh'],
    ['en', 'en'],
    ['en-US', 'en'],
    ['fr', 'en'],
    ['', 'en'],
    [undefined, 'en'],
    [null, 'en'],
  ])('should read %p as %s', (tag, expected) => {
    expect(languageOf(tag)).toBe(expected);
  });
});

describe(violationMessage.name, () => {
  const messages: ViolationMessages = {
    same_as_current: () => 'same',
    min_age: (p) => `wait ${p.retry_after_seconds}s`,
    length: (p) => formatMessage('{0}..{1}', [p.min, p.max]),
    character_classes: (p) => `missing ${p.missing.join('+')}`,
    username: () => 'username',
    personal_info: (p) => `contains ${p.items.join('+')}`,
    repeated_chars: (p) => `repeat ≤ ${p.max}`,
    common_password: () => 'common',
    history: (p) => `last ${p.count}`,
  };

  it.each([
    [violation.same_as_current(), 'same'],
    [violation.min_age({ minutes: 5, retryAfterSeconds: 42 }), 'wait 42s'],
    [violation.length({ min: 8, max: 20 }), '8..20'],
    [
      violation.character_classes({ min: 4, present: ['digit', 'other'] }),
      'missing lowercase+uppercase',
    ],
    [violation.username(), 'username'],
    [violation.personal_info({ items: ['email', 'name'] }), 'contains email+name'],
    [violation.repeated_chars({ max: 2 }), 'repeat ≤ 2'],
    [violation.common_password(), 'common'],
    [violation.history({ count: 5 }), 'last 5'],
  ])('should word %j from its own entry and params', (found, expected) => {
    expect(violationMessage(messages, found)).toBe(expected);
  });

  it('should make a table that misses a rule fail to compile', () => {
    // @ts-expect-error `history` is missing: the compiler rejects an incomplete table.
    const incomplete: MessageTable<ViolationParams> = { ...messages, history: undefined };
    expect(incomplete.history).toBeUndefined();
  });
});
