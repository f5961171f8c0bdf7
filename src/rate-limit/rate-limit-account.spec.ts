import { accountKey } from './rate-limit-account';

describe(accountKey.name, () => {
  it.each([
    ['Alice', 'alice'],
    ['  ALICE ', 'alice'],
    ['ａｌｉｃｅ', 'alice'],
    ['Alice@Example.COM', 'alice@example.com'],
    ['138 0013 8000', '+8613800138000'],
    ['+86 138-0013-8000', '+8613800138000'],
    ['8613800138000', '+8613800138000'],
    ['0b6c7f5e-AAAA-4bbb-8ccc-000000000000', '0b6c7f5e-aaaa-4bbb-8ccc-000000000000'],
  ])('should key %j as %j', async (raw, key) => {
    await expect(Promise.resolve(accountKey(raw, 'CN'))).resolves.toBe(key);
  });

  it.each([[''], ['   '], [undefined], [42], [['alice']], [{ name: 'alice' }]])(
    'should name no account for %j',
    async (raw) => {
      await expect(Promise.resolve(accountKey(raw, 'CN'))).resolves.toBeUndefined();
    },
  );

  it('should bound the key of an absurdly long identifier', async () => {
    await expect(Promise.resolve(accountKey('a'.repeat(10_000), 'CN')?.length)).resolves.toBe(320);
  });
});
