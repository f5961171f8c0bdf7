import { exceedsDepth, MAX_BODY_DEPTH } from './body-depth.middleware';

const nested = (levels: number): unknown =>
  JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);

describe(exceedsDepth.name, () => {
  it.each([
    ['a scalar', 'x', false],
    ['null', null, false],
    ['a flat object', { a: 1, b: 'x' }, false],
    [
      'Huawei’s sign-in body',
      { auth: { identity: { password: { user: { domain: { name: 'd' } } } } } },
      false,
    ],
    [`${MAX_BODY_DEPTH} levels`, nested(MAX_BODY_DEPTH), false],
    [`${MAX_BODY_DEPTH + 1} levels`, nested(MAX_BODY_DEPTH + 1), true],
    ['a deep branch beside shallow ones', { a: 1, b: [nested(MAX_BODY_DEPTH)] }, true],
  ])('should judge %s', (_name, value, expected) => {
    expect(exceedsDepth(value, MAX_BODY_DEPTH)).toBe(expected);
  });

  it('should walk 100,000 levels without recursion', () => {
    expect(exceedsDepth(nested(100_000), MAX_BODY_DEPTH)).toBe(true);
  });
});
