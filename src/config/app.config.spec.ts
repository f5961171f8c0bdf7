import { AppConfig } from './app.config';

const GENERATED_SECRET_KEY = 'f3a9c1d27b6e48a0953d1e7c2b8f4a6d0e5c9b7a1f2d3e4c5b6a7980fedcba12';

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
    [{ NODE_ENV: 'production', SECRET_KEY: GENERATED_SECRET_KEY }, 'ISSUER is required'],
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
    [{ NODE_ENV: 'production' }, 'SECRET_KEY'],
    [{ SECRET_KEY: 'too-short' }, 'SECRET_KEY'],
    [
      { NODE_ENV: 'production', SECRET_KEY: 'PLACEHOLDER_openssl_rand_hex_32_at_least_32_chars' },
      'SECRET_KEY',
    ],
    [{ NODE_ENV: 'production', SECRET_KEY: 'a'.repeat(64) }, 'SECRET_KEY'],
  ])('should refuse %j with a message naming %s', (env, variable) => {
    expect(() => AppConfig.fromEnvironment(env)).toThrow(new RegExp(variable));
  });

  it('should start in production with a generated SECRET_KEY', () => {
    const config = AppConfig.fromEnvironment({
      NODE_ENV: 'production',
      SECRET_KEY: GENERATED_SECRET_KEY,
      ISSUER: 'https://id.example.com/',
    });
    expect(config.secretKey).toBe(GENERATED_SECRET_KEY);
    expect(config.issuer).toBe('https://id.example.com');
  });

  it.each([
    ['sqlite:./data/tessera.db', {}, 'data/secret.key'],
    [
      'sqlite:/var/lib/tessera/db.sqlite',
      { DATA_DIR: '/elsewhere' },
      '/var/lib/tessera/secret.key',
    ],
    ['sqlite::memory:', {}, undefined],
    ['mysql://u:p@db:3306/tessera', {}, 'data/secret.key'],
    ['mysql://u:p@db:3306/tessera', { DATA_DIR: '/srv/tessera' }, '/srv/tessera/secret.key'],
  ])('should keep a generated key for %s beside the data (%j)', (url, extra, expected) => {
    const config = AppConfig.fromEnvironment({ DATABASE_URL: url, ...extra });
    expect(config.generatedSecretKeyPath).toBe(expected);
  });

  it('should read MySQL URLs', () => {
    expect(
      AppConfig.fromEnvironment({ DATABASE_URL: 'mysql://u:p@db:3306/tessera' }).databaseKind,
    ).toBe('mysql');
  });

  it('should take HEALTH_PORT only on a port of its own, with a lag bound of 10 s by default', () => {
    expect(AppConfig.fromEnvironment({})).toMatchObject({
      healthPort: undefined,
      healthMaxEventLoopLagSeconds: 10,
    });
    expect(
      AppConfig.fromEnvironment({ HEALTH_PORT: '9090', HEALTH_MAX_EVENT_LOOP_LAG_SECONDS: '3' }),
    ).toMatchObject({ healthPort: 9090, healthMaxEventLoopLagSeconds: 3 });
    expect(() => AppConfig.fromEnvironment({ PORT: '8080', HEALTH_PORT: '8080' })).toThrow(
      'HEALTH_PORT must differ from PORT',
    );
    expect(() => AppConfig.fromEnvironment({ HEALTH_PORT: '3000' })).toThrow(
      'HEALTH_PORT must differ from PORT',
    );
  });
});
