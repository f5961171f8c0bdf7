import { dialectOfPath } from './dialect-routing';

describe(dialectOfPath.name, () => {
  it.each([
    ['/change_user_password', 'tencent'],
    ['/change_user_password/', 'tencent'],
    ['/change_user_password/unknown', 'tencent'],
    ['/CHANGE_USER_PASSWORD', 'tencent'],
    ['/reset_user_password', 'tencent'],
    ['/otp/send', 'tencent'],
    ['/otp/send/x', 'tencent'],
    ['/v3', 'huawei'],
    ['/v3/auth/tokens', 'huawei'],
    ['/v3/users/u-1/password', 'huawei'],
    ['/v3.0/OS-SECURITYPOLICY/domains/d/password-policy', 'huawei'],
    ['/api/v2/tenant/token', 'idaas-tenant'],
    ['/api/v2/tenant/users/u-1/change-password', 'idaas-tenant'],
    ['/api/v2/sdk/pwd/change', 'idaas-sdk'],
    ['/api/v2/sdk', 'idaas-sdk'],
  ] as const)('should route %s to %s', (path, dialect) => {
    expect(dialectOfPath(path)).toBe(dialect);
  });

  it.each([
    '/',
    '/oauth2/token',
    '/admin/users',
    '/otp',
    '/otp/sender',
    '/change_user_password_v2',
    '/v30/users',
    '/v3.1/users',
    '/api/v2',
    '/api/v2/tenants',
    '/api/v2/sdkx/login',
    '/docs',
  ])('should leave %s native', (path) => {
    expect(dialectOfPath(path)).toBe('native');
  });
});
