import bcrypt from 'bcrypt';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import { AppConfig } from '../config/app.config';
import { BCRYPT_MAX_BYTES, PasswordHasher } from './password-hasher.service';

const hasherWith = async (env: Record<string, string> = {}): Promise<PasswordHasher> => {
  const hasher = new PasswordHasher(AppConfig.fromEnvironment({ BCRYPT_COST: '4', ...env }));
  await hasher.onModuleInit();
  return hasher;
};

describe(PasswordHasher.name, () => {
  it('should refuse a password of 73 UTF-8 bytes instead of truncating it', async () => {
    const hasher = await hasherWith();
    const p72 = 'x'.repeat(BCRYPT_MAX_BYTES);
    const error = await hasher.hash(`${p72}A`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdentityError);
    expect((error as IdentityError).code).toBe(IdentityErrorCode.PASSWORD_POLICY_VIOLATION);
    expect((error as IdentityError).details.violations).toEqual([
      { rule: 'length', params: { min: 8, max: 64, max_bytes: 72, actual_bytes: 73 } },
    ]);
    // The 72-byte password itself hashes, and a 73rd byte never verifies against it.
    const hash = await hasher.hash(p72);
    await expect(hasher.verify(p72, hash)).resolves.toBe(true);
    await expect(hasher.verify(`${p72}B`, hash)).resolves.toBe(false);
  });

  it.each([
    ['72 ASCII bytes', 'x'.repeat(72), undefined, null],
    ['24 CJK characters (72 bytes)', '密'.repeat(24), undefined, null],
    ['18 emoji (72 bytes)', '😀'.repeat(18), undefined, null],
    [
      '25 CJK characters (75 bytes)',
      '密'.repeat(25),
      undefined,
      { min: 8, max: 64, max_bytes: 72, actual_bytes: 75 },
    ],
    [
      '19 emoji (76 bytes), with the policy bounds given',
      '😀'.repeat(19),
      { min_length: 10, max_length: 128 },
      { min: 10, max: 128, max_bytes: 72, actual_bytes: 76 },
    ],
    ['72 fullwidth letters, 72 bytes once folded by NFKC', 'Ａ'.repeat(72), undefined, null],
  ])('should count bytes after NFKC: %s', async (_name, password, bounds, params) => {
    const hasher = await hasherWith();
    const refusal = (): unknown => {
      try {
        hasher.assertHashable(password, bounds);
        return null;
      } catch (error: unknown) {
        return error;
      }
    };
    const error = refusal();
    if (params === null) {
      expect(error).toBeNull();
      return;
    }
    expect(error).toBeInstanceOf(IdentityError);
    expect((error as IdentityError).code).toBe(IdentityErrorCode.PASSWORD_POLICY_VIOLATION);
    expect((error as IdentityError).details.violations).toEqual([{ rule: 'length', params }]);
  });

  it('should pass the policy bounds given to hash() into the violation', async () => {
    const hasher = await hasherWith();
    const error = await hasher
      .hash('x'.repeat(80), { min_length: 12, max_length: 100 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdentityError);
    expect((error as IdentityError).details.violations).toEqual([
      { rule: 'length', params: { min: 12, max: 100, max_bytes: 72, actual_bytes: 80 } },
    ]);
  });

  it('should normalise to NFKC so equivalent forms match', async () => {
    const hasher = await hasherWith();
    const hash = await hasher.hash('ＰａｓｓＷｏｒｄ１'); // fullwidth
    await expect(hasher.verify('PassWord1', hash)).resolves.toBe(true);
    const composed = await hasher.hash('caf\u00e9-Secret');
    await expect(hasher.verify('cafe\u0301-Secret', composed)).resolves.toBe(true);
  });

  it('should never match when no hash exists, yet still spend a compare', async () => {
    const hasher = await hasherWith();
    const spy = jest.spyOn(bcrypt, 'compare');
    await expect(hasher.verify('anything', null)).resolves.toBe(false);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('should report a rehash when the configured cost differs from the hash', async () => {
    const cheap = await hasherWith({ BCRYPT_COST: '4' });
    const dearer = await hasherWith({ BCRYPT_COST: '5' });
    const hash = await cheap.hash('Some-Password-1');
    expect(cheap.needsRehash(hash)).toBe(false);
    expect(dearer.needsRehash(hash)).toBe(true);
  });

  it('should answer SERVICE_BUSY with a retry hint when the queue is full', async () => {
    const hasher = await hasherWith({
      BCRYPT_COST: '8',
      BCRYPT_CONCURRENCY: '1',
      BCRYPT_MAX_QUEUE: '1',
    });
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => hasher.hash('Queue-Test-1')));
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.length).toBe(2);
    const reason = refused[0].reason as IdentityError;
    expect(reason.code).toBe(IdentityErrorCode.SERVICE_BUSY);
    expect(reason.details.retryAfterSeconds).toBe(1);
  });
});
