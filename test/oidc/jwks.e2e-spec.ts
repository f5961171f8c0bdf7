import { createPublicKey } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import {
  adminToken,
  createApplication,
  createUser,
  passwordLogin,
  type TestApplication,
  type TestUser,
} from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';

interface Jwk {
  kid: string;
  kty: string;
  alg: string;
  use: string;
  [member: string]: unknown;
}

/** The JWKS: an ES256 key (access tokens) and an RS256 key (ID tokens), both rotated together. */
describe('JWKS with ES256 and RS256 keys', () => {
  let app: NestExpressApplication;
  let admin: string;
  let client: TestApplication;
  let user: TestUser;
  const http = () => request(app.getHttpServer());
  const jwks = async (): Promise<Jwk[]> =>
    ((await http().get('/.well-known/jwks.json').expect(200)).body as { keys: Jwk[] }).keys;
  const signIn = async () =>
    (await passwordLogin(app, client, { ...user, scope: 'openid' }).expect(200)).body as {
      access_token: string;
      id_token: string;
    };
  const kidOf = (token: string) => jwt.decode(token, { complete: true })?.header.kid;

  beforeAll(async () => {
    // Its own in-memory database even where the suite shares MariaDB: the key list is asserted
    // exactly, and other suites rotate (key storage on MariaDB: test/keys).
    app = await createTestApp({ DATABASE_URL: 'sqlite::memory:' });
    admin = await adminToken(app);
    client = await createApplication(app, admin);
    user = await createUser(app, admin);
  });
  afterAll(() => app.close());

  it('should publish one public key per algorithm, each with kid, alg and use', async () => {
    const keys = await jwks();
    expect(keys).toEqual([
      {
        kid: expect.any(String),
        kty: 'EC',
        crv: 'P-256',
        x: expect.any(String),
        y: expect.any(String),
        alg: 'ES256',
        use: 'sig',
      },
      {
        kid: expect.any(String),
        kty: 'RSA',
        n: expect.any(String),
        e: 'AQAB',
        alg: 'RS256',
        use: 'sig',
      },
    ]);
    const rsa = createPublicKey({ key: keys[1] as never, format: 'jwk' });
    expect(rsa.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('should sign access tokens with the ES256 key and ID tokens with the RS256 key', async () => {
    const [es, rs] = await jwks();
    const tokens = await signIn();
    expect(kidOf(tokens.access_token)).toBe(es?.kid);
    expect(kidOf(tokens.id_token)).toBe(rs?.kid);
  });

  it('should rotate both keys, publish the new ones first and keep the old ones verifying', async () => {
    const before = await jwks();
    const oldTokens = await signIn();

    const rotated = await http()
      .post('/admin/keys/rotate')
      .auth(admin, { type: 'bearer' })
      .expect(201);
    const { keys: added } = rotated.body as { keys: Array<{ kid: string; algorithm: string }> };
    expect(added).toEqual([
      { kid: expect.any(String), algorithm: 'ES256', created_at: expect.any(String) },
      { kid: expect.any(String), algorithm: 'RS256', created_at: expect.any(String) },
    ]);
    const [newEs, newRs] = added;

    const after = await jwks();
    expect(after.map((key) => [key.alg, key.kid])).toEqual([
      ['ES256', newEs?.kid],
      ['ES256', before[0]?.kid],
      ['RS256', newRs?.kid],
      ['RS256', before[1]?.kid],
    ]);

    const newTokens = await signIn();
    expect(kidOf(newTokens.access_token)).toBe(newEs?.kid);
    expect(kidOf(newTokens.id_token)).toBe(newRs?.kid);

    // Tokens from before the rotation keep working and verifying against the JWKS.
    for (const token of [oldTokens.access_token, newTokens.access_token])
      await http().get('/oauth2/userinfo').auth(token, { type: 'bearer' }).expect(200);
    const oldRs = after.find((key) => key.kid === kidOf(oldTokens.id_token));
    expect(oldRs?.alg).toBe('RS256');
    expect(() =>
      jwt.verify(oldTokens.id_token, createPublicKey({ key: oldRs as never, format: 'jwk' }), {
        algorithms: ['RS256'],
        audience: client.client_id,
      }),
    ).not.toThrow();
  });
});
