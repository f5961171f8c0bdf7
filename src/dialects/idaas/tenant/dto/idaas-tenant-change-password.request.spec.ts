import { IdentityError, IdentityErrorCode } from '../../../../common/errors/identity-error';
import { IdaasTenantChangePasswordRequest } from './idaas-tenant-change-password.request';

const request = (flags: Partial<IdaasTenantChangePasswordRequest>) =>
  Object.assign(new IdaasTenantChangePasswordRequest(), { password: 'x', ...flags });

describe(IdaasTenantChangePasswordRequest.name, () => {
  it.each([
    [{}, true],
    [{ must_modify: false }, false],
    [{ must_modify: true }, true],
    [{ pwd_must_modify: false }, false],
    [{ pwd_must_modify: true }, true],
    [{ must_modify: false, pwd_must_modify: false }, false],
    [{ must_modify: true, pwd_must_modify: true }, true],
  ])('should read %j as must_modify=%s', async (flags, expected) => {
    await expect(Promise.resolve(request(flags).mustModify())).resolves.toBe(expected);
  });

  it.each([
    { must_modify: true, pwd_must_modify: false },
    { must_modify: false, pwd_must_modify: true },
  ])('should refuse %j as an invalid argument', async (flags) => {
    await expect(Promise.resolve().then(() => request(flags).mustModify())).rejects.toBeInstanceOf(
      IdentityError,
    );
    await expect(Promise.resolve().then(() => request(flags).mustModify())).rejects.toMatchObject({
      code: IdentityErrorCode.INVALID_ARGUMENT,
      details: { fields: [{ field: 'must_modify|pwd_must_modify' }] },
    });
  });
});
