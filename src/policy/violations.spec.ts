import { violation } from './violations';

describe('violation', () => {
  it.each([
    ['length within bounds', violation.length({ min: 8, max: 64 }), { min: 8, max: 64 }],
    [
      'length over the byte limit',
      violation.length({ min: 8, max: 128, maxBytes: 72, actualBytes: 90 }),
      { min: 8, max: 128, max_bytes: 72, actual_bytes: 90 },
    ],
    [
      'character_classes with none present',
      violation.character_classes({ min: 2, present: [] }),
      { min: 2, actual: 0, missing: ['lowercase', 'uppercase', 'digit', 'other'] },
    ],
    [
      'character_classes names the missing in canonical order',
      violation.character_classes({ min: 4, present: ['other', 'lowercase'] }),
      { min: 4, actual: 2, missing: ['uppercase', 'digit'] },
    ],
    [
      'min_age in snake_case',
      violation.min_age({ minutes: 30, retryAfterSeconds: 61 }),
      { minutes: 30, retry_after_seconds: 61 },
    ],
    ['history', violation.history({ count: 3 }), { count: 3 }],
    ['repeated_chars', violation.repeated_chars({ max: 2 }), { max: 2 }],
    [
      'personal_info',
      violation.personal_info({ items: ['phone_number'] }),
      { items: ['phone_number'] },
    ],
    ['same_as_current', violation.same_as_current(), {}],
    ['username', violation.username(), {}],
    ['common_password', violation.common_password(), {}],
  ])('should build %s as the native API serialises it', (name, built, params) => {
    expect(built).toStrictEqual({ rule: name.split(' ')[0], params });
  });

  it('should not share the caller array of personal_info items', () => {
    const items: Array<'email'> = ['email'];
    const built = violation.personal_info({ items });
    items.push('email');
    expect(built.params.items).toEqual(['email']);
  });
});
