import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { type GrantHandler, GrantRegistry, grantedScopes, requireParam } from './grant-handler';

const handler = (...grantTypes: string[]): GrantHandler => ({
  grantTypes,
  handle: () => Promise.reject(new Error('not called')),
});

describe(GrantRegistry.name, () => {
  it('should resolve every grant type a handler registers, including ones added later', () => {
    const registry = new GrantRegistry();
    const standard = handler('password');
    const otp = handler('urn:example:otp/sms', 'urn:example:otp/email');
    registry.register(standard);
    registry.register(otp);
    expect(registry.resolve('password')).toBe(standard);
    expect(registry.resolve('urn:example:otp/email')).toBe(otp);
    expect(registry.supported).toEqual([
      'password',
      'urn:example:otp/sms',
      'urn:example:otp/email',
    ]);
  });

  it.each([
    [undefined, IdentityErrorCode.INVALID_ARGUMENT],
    ['', IdentityErrorCode.INVALID_ARGUMENT],
    ['authorization_code', IdentityErrorCode.UNSUPPORTED_GRANT_TYPE],
    ['__proto__', IdentityErrorCode.UNSUPPORTED_GRANT_TYPE],
  ])('should refuse grant_type %p with %s', (grantType, code) => {
    const registry = new GrantRegistry();
    registry.register(handler('password'));
    expect(() => registry.resolve(grantType)).toThrow(new IdentityError(code));
  });
});

describe(grantedScopes.name, () => {
  const allowed = ['openid', 'profile', 'email'];

  it.each([
    [undefined, allowed],
    ['', allowed],
    ['  ', allowed],
    ['openid', ['openid']],
    ['openid  profile openid', ['openid', 'profile']],
  ])('should grant %p as %p', (requested, expected) => {
    expect(grantedScopes(requested, allowed)).toEqual(expected);
  });

  it.each([['admin'], ['openid admin'], ['OPENID']])(
    'should refuse %p with INVALID_SCOPE',
    (requested) => {
      let caught: unknown;
      try {
        grantedScopes(requested, allowed);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(IdentityError);
      expect((caught as IdentityError).code).toBe(IdentityErrorCode.INVALID_SCOPE);
    },
  );
});

describe(requireParam.name, () => {
  it('should return a present parameter and refuse a missing or empty one', () => {
    expect(requireParam({ username: 'ada' }, 'username')).toBe('ada');
    expect(() => requireParam({}, 'username')).toThrow(IdentityError);
    expect(() => requireParam({ username: '' }, 'username')).toThrow(IdentityError);
  });
});
