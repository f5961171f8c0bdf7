import type { JsonWebKey } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { SigningKeyService } from '../../src/keys/signing-key.service';
import { sdkHeaders, sdkIdToken } from '../idaas/sdk/idaas-sdk-test-app';
import { tenantClient } from '../idaas/tenant/tenant-test-app';
import {
  adminToken,
  createApplication,
  createUser,
  passwordLogin,
  type TestApplication,
  type TestUser,
} from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';
import {
  keylessForgeries,
  misclaimedTokens,
  parseJwt,
  type RealSigningKey,
  resigned,
  withoutExpiry,
} from './support/forged-tokens';
import { type Wire, wire } from './support/wire';

const JSON_UTF8 = 'application/json; charset=utf-8';
const TENCENT_JSON = 'application/json;charset=UTF-8';
const RFC6750 = 'error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"';
const INSUFFICIENT = 'The request requires higher privileges than provided by the access token.';

/** Which genuine token a route takes, so forgeries are made from the right one. */
type Genuine = 'access' | 'id' | 'client';

/** A route that needs a user's (or, for the IDaaS tenant API, an administrator's) token. */
interface Target {
  name: string;
  genuine: Genuine;
  send: (token: string) => request.Test;
  /** What a refused token gets, byte for byte in that dialect. */
  refused: Wire;
  /** What a client's token gets on a user route, when that dialect says "not enough" instead. */
  refusedClient?: Wire;
}

/**
 * Forged and misplaced JWTs on every dialect's token-protected routes. Whatever is wrong with a
 * token (its algorithm, key, kid, issuer, audience, lifetime or kind), the answer is that
 * dialect's "invalid token", never a success and never a 5xx.
 */
describe('JWT forgeries in every dialect', () => {
  let app: NestExpressApplication;
  let admin: string;
  let web: TestApplication;
  let mobile: TestApplication;
  let user: TestUser;
  let jwks: { keys: JsonWebKey[] };
  let realKey: RealSigningKey;
  /** The RS256 key that signs ID tokens (the applications here keep the default). */
  let realIdTokenKey: RealSigningKey;
  /** The genuine tokens of one user (and one admin client) that the forgeries start from. */
  const genuine = {} as Record<Genuine | 'refresh' | 'sdkId' | 'huawei', string>;
  const http = () => request(app.getHttpServer());

  const targets = (): Target[] => [
    {
      name: 'native GET /oauth2/userinfo',
      genuine: 'access',
      send: (token) => http().get('/oauth2/userinfo').set('Authorization', `Bearer ${token}`),
      refused: {
        status: 401,
        body: {
          error: 'invalid_token',
          error_description: 'The access token is invalid, expired or revoked.',
        },
        type: JSON_UTF8,
        challenge: 'Bearer realm="tessera", error="invalid_token"',
      },
      refusedClient: {
        status: 403,
        body: {
          error: 'insufficient_scope',
          error_description: 'The access token lacks the required scope.',
        },
        type: JSON_UTF8,
        challenge: 'Bearer realm="tessera", error="insufficient_scope"',
      },
    },
    {
      name: 'Tencent POST /change_user_password',
      genuine: 'access',
      send: (token) =>
        http().post('/change_user_password').set('Authorization', `Bearer ${token}`).send({}),
      refused: {
        status: 401,
        body: { error: 'invalid_token', error_description: 'Error decoding JWT' },
        type: TENCENT_JSON,
        challenge: `Bearer error="invalid_token", error_description="Error decoding JWT", ${RFC6750}`,
      },
      refusedClient: {
        status: 403,
        body: { error: 'insufficient_scope', error_description: INSUFFICIENT },
        type: TENCENT_JSON,
        challenge: `Bearer error="insufficient_scope", error_description="${INSUFFICIENT}", ${RFC6750}`,
      },
    },
    {
      name: 'Huawei POST /v3/users/{user_id}/password (X-Auth-Token)',
      genuine: 'access',
      send: (token) =>
        http().post(`/v3/users/${user.user_id}/password`).set('X-Auth-Token', token).send({}),
      refused: {
        status: 401,
        body: {
          error: {
            code: 401,
            title: 'Unauthorized',
            message: 'The request you have made requires authentication.',
          },
        },
        type: JSON_UTF8,
        challenge: expect.stringMatching(
          /^Keystone uri="http:\/\/127\.0\.0\.1:\d+\/v3"$/,
        ) as string,
      },
    },
    {
      name: 'IDaaS SDK GET /api/v2/sdk/pwd/check-exist (Bearer id_token)',
      genuine: 'id',
      send: (token) =>
        http()
          .get('/api/v2/sdk/pwd/check-exist')
          .set(sdkHeaders(mobile.client_id))
          .set('Authorization', `Bearer ${token}`),
      refused: {
        status: 400,
        body: { error_code: 'IDAAS.SDK.PARAM.0016', error_msg: 'IdToken is invalid or expired' },
        type: JSON_UTF8,
      },
    },
    {
      // The id_token is optional here (forgot password without it): a bad one must not fall back.
      name: 'IDaaS SDK POST /api/v2/sdk/pwd/update-by-email (optional Bearer id_token)',
      genuine: 'id',
      send: (token) =>
        http()
          .post('/api/v2/sdk/pwd/update-by-email')
          .set(sdkHeaders(mobile.client_id))
          .set('Authorization', `Bearer ${token}`)
          .send({ email: user.email, verify_code: '000000', password: 'Forged-Reset-Passw0rd' }),
      refused: {
        status: 400,
        body: { error_code: 'IDAAS.SDK.PARAM.0016', error_msg: 'IdToken is invalid or expired' },
        type: JSON_UTF8,
      },
    },
    {
      name: 'IDaaS tenant PUT /api/v2/tenant/users/{user_id}/change-password',
      genuine: 'client',
      send: (token) =>
        http()
          .put(`/api/v2/tenant/users/${user.user_id}/change-password`)
          .set('Authorization', `Bearer ${token}`)
          .send({}),
      refused: {
        status: 400,
        body: { error: 'invalid_token', error_description: 'Invalid access' },
        type: JSON_UTF8,
      },
    },
  ];

  const tokenFor = (target: Target): string =>
    target.genuine === 'id' ? genuine.sdkId : genuine[target.genuine];
  const realKeyFor = (target: Target): RealSigningKey =>
    target.genuine === 'id' ? realIdTokenKey : realKey;

  beforeAll(async () => {
    app = await createTestApp();
    admin = await adminToken(app);
    web = await createApplication(app, admin);
    mobile = await createApplication(app, admin, { type: 'mobile' });
    user = await createUser(app, admin);
    const tokens = (
      await passwordLogin(app, web, { ...user, scope: 'openid profile email' }).expect(200)
    ).body as { access_token: string; refresh_token: string; id_token: string };
    genuine.access = tokens.access_token;
    genuine.id = tokens.id_token;
    genuine.refresh = tokens.refresh_token;
    genuine.client = (await tenantClient(app)).token;
    genuine.sdkId = await sdkIdToken(app, mobile.client_id, {
      user_name: user.username,
      password: user.password,
    });
    genuine.huawei = (
      await http()
        .post('/v3/auth/tokens')
        .send({
          auth: {
            identity: {
              methods: ['password'],
              password: {
                user: { name: user.username, password: user.password, domain: { name: 'd' } },
              },
            },
          },
        })
        .expect(201)
    ).headers['x-subject-token'];
    jwks = (await http().get('/.well-known/jwks.json').expect(200)).body as typeof jwks;
    const active = app.get(SigningKeyService).current();
    realKey = { kid: active.kid, privateKey: active.privateKey };
    const idTokenKey = app.get(SigningKeyService).current('RS256');
    realIdTokenKey = { kid: idTokenKey.kid, privateKey: idTokenKey.privateKey };
  });
  afterAll(() => app.close());

  describe.each([
    'native GET /oauth2/userinfo',
    'Tencent POST /change_user_password',
    'Huawei POST /v3/users/{user_id}/password (X-Auth-Token)',
    'IDaaS SDK GET /api/v2/sdk/pwd/check-exist (Bearer id_token)',
    'IDaaS SDK POST /api/v2/sdk/pwd/update-by-email (optional Bearer id_token)',
    'IDaaS tenant PUT /api/v2/tenant/users/{user_id}/change-password',
  ])('%s', (name) => {
    const target = () => targets().find((t) => t.name === name)!;

    it('should accept the genuine token and the same claims re-signed with the real key (control)', async () => {
      const t = target();
      const valid = t.name.startsWith('Huawei') ? [genuine.huawei] : [tokenFor(t)];
      if (!t.name.startsWith('Huawei')) valid.push(resigned(tokenFor(t), realKeyFor(t)));
      for (const token of valid) {
        const res = await t.send(token);
        expect(res.status).toBeLessThan(500);
        expect(wire(res)).not.toEqual(t.refused);
      }
    });

    it('should refuse every forgery made without the private key, in the dialect’s format', async () => {
      const t = target();
      const forgeries = keylessForgeries(tokenFor(t), jwks);
      const answers: Array<[string, Wire]> = [];
      for (const [forgery, token] of forgeries) answers.push([forgery, wire(await t.send(token))]);
      expect(answers).toEqual(forgeries.map(([forgery]) => [forgery, t.refused]));
    });

    it('should refuse a token signed with the real key but with an odd kid or wrong claims', async () => {
      const t = target();
      const forgeries = misclaimedTokens(tokenFor(t), realKeyFor(t));
      const answers: Array<[string, Wire]> = [];
      for (const [forgery, token] of forgeries) answers.push([forgery, wire(await t.send(token))]);
      expect(answers).toEqual(forgeries.map(([forgery]) => [forgery, t.refused]));
    });

    it('should refuse a token of the wrong kind', async () => {
      const t = target();
      const kinds: Array<[string, string]> = [
        ['a refresh token', genuine.refresh],
        ['an empty-looking JWT', 'e30.e30.'],
      ];
      if (!t.name.startsWith('Huawei')) kinds.push(['a Huawei X-Subject-Token', genuine.huawei]);
      if (t.genuine !== 'id') kinds.push(['an ID token of the same session', genuine.id]);
      if (t.genuine === 'id') kinds.push(['an access token of the same user', genuine.access]);
      if (t.genuine !== 'client') kinds.push(['a client_credentials admin token', genuine.client]);
      if (t.name.startsWith('Huawei')) kinds.push(['the user’s JWT access token', genuine.access]);
      const answers: Array<[string, Wire]> = [];
      for (const [kind, token] of kinds) answers.push([kind, wire(await t.send(token))]);
      expect(answers).toEqual(
        kinds.map(([kind, token]) => [
          kind,
          token === genuine.client ? (t.refusedClient ?? t.refused) : t.refused,
        ]),
      );
    });

    // RFC 9068 §2.2 / OIDC Core §2 make `exp` required; jsonwebtoken alone would take a token
    // without it as never expiring. (Huawei's X-Auth-Token is opaque: no JWT to strip.)
    if (!name.startsWith('Huawei'))
      it('should refuse a token without exp, signed with the real key', async () => {
        const t = target();
        expect(wire(await t.send(withoutExpiry(tokenFor(t), realKeyFor(t))))).toEqual(t.refused);
      });
  });

  it('should have made the forgeries from tokens the service really signs with that key', () => {
    expect(parseJwt(genuine.access).header).toEqual({
      alg: 'ES256',
      typ: 'at+jwt',
      kid: realKey.kid,
    });
    expect(jwks.keys.map((key) => key.kid)).toContain(realKey.kid);
    expect(parseJwt(genuine.sdkId).header).toMatchObject({ alg: 'RS256', kid: realIdTokenKey.kid });
    expect(jwks.keys.map((key) => key.kid)).toContain(realIdTokenKey.kid);
  });
});
