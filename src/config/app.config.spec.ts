import { AppConfig } from './app.config';

describe(AppConfig.name, () => {
  it('should start on the embedded SQLite default with no environment', () => {
    const config = AppConfig.fromEnvironment({});
    expect(config).toEqual(
      expect.objectContaining({
        port: 3000,
        host: '0.0.0.0',
        databaseUrl: 'sqlite:./data/tessera.db',
        databaseKind: 'sqlite',
        issuer: 'http://localhost:3000',
        bcryptCost: 12,
        otpTtlSeconds: 300,
        defaultPhoneRegion: 'CN',
      }),
    );
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'postgres://x' }, 'DATABASE_URL'],
    [{ BCRYPT_COST: '3' }, 'BCRYPT_COST'],
    [{ NODE_ENV: 'production', BCRYPT_COST: '8' }, 'BCRYPT_COST'],
    [{ ADMIN_CLIENT_ID: 'ops' }, 'ADMIN_CLIENT_SECRET'],
    [{ ADMIN_CLIENT_ID: 'ops', ADMIN_CLIENT_SECRET: 'short' }, 'ADMIN_CLIENT_SECRET'],
    [
      {
        NODE_ENV: 'production',
        ADMIN_CLIENT_ID: 'ops',
        ADMIN_CLIENT_SECRET: 'changeme-changeme-changeme',
      },
      'ADMIN_CLIENT_SECRET',
    ],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL'],
    [{ DEFAULT_PHONE_REGION: 'china' }, 'DEFAULT_PHONE_REGION'],
  ])('should refuse %j with a message naming %s', (env, variable) => {
    expect(() => AppConfig.fromEnvironment(env)).toThrow(new RegExp(variable));
  });

  it('should read MySQL URLs', () => {
    expect(
      AppConfig.fromEnvironment({ DATABASE_URL: 'mysql://u:p@db:3306/tessera' }).databaseKind,
    ).toBe('mysql');
  });
});
