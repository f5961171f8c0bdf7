import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createTestApp } from '../utils/create-test-app';

const ISSUER = 'https://id.example.com';

/**
 * OpenID Connect Discovery 1.0 §3 and RFC 8414 §2: the provider metadata, served at both
 * well-known paths, naming `ISSUER` and advertising only what exists.
 */
describe('Discovery documents', () => {
  let app: NestExpressApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    // A trailing slash in ISSUER is not part of the issuer identifier.
    app = await createTestApp({ ISSUER: `${ISSUER}/` });
  });
  afterAll(() => app.close());

  it('should publish exactly the OpenID Provider metadata of what exists', async () => {
    const res = await http().get('/.well-known/openid-configuration').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.body).toEqual({
      issuer: ISSUER,
      token_endpoint: `${ISSUER}/oauth2/token`,
      revocation_endpoint: `${ISSUER}/oauth2/revoke`,
      userinfo_endpoint: `${ISSUER}/oauth2/userinfo`,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      grant_types_supported: [
        'client_credentials',
        'refresh_token',
        'password',
        'http://tencentciam.com/oauth2/grant-type/otp/sms',
        'http://tencentciam.com/oauth2/grant-type/otp/email',
      ],
      // No authorization endpoint: no response type, no response mode, no request_uri.
      response_types_supported: [],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      revocation_endpoint_auth_methods_supported: [
        'client_secret_basic',
        'client_secret_post',
        'none',
      ],
      request_uri_parameter_supported: false,
      scopes_supported: ['openid', 'profile', 'email', 'phone', 'admin'],
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'sid',
        'preferred_username',
        'name',
        'email',
        'phone_number',
      ],
    });
    expect(res.body).not.toHaveProperty('authorization_endpoint');
  });

  it('should serve the same metadata as RFC 8414 authorization server metadata', async () => {
    const oidc = await http().get('/.well-known/openid-configuration').expect(200);
    const oauth = await http().get('/.well-known/oauth-authorization-server').expect(200);
    expect(oauth.headers['cache-control']).toBe('public, max-age=300');
    expect(oauth.body).toEqual(oidc.body);
  });

  it('should route every endpoint it advertises (relative to ISSUER)', async () => {
    const { body } = await http().get('/.well-known/openid-configuration').expect(200);
    const path = (url: string) => new URL(url).pathname;
    await http()
      .get(path(body.jwks_uri as string))
      .expect(200);
    // Unauthenticated calls: refused for want of credentials, not unknown (404) or unallowed (405).
    await http()
      .get(path(body.userinfo_endpoint as string))
      .expect(401);
    await http()
      .post(path(body.userinfo_endpoint as string))
      .expect(401);
    await http()
      .post(path(body.token_endpoint as string))
      .type('form')
      .send({ grant_type: 'client_credentials' })
      .expect(401);
    await http()
      .post(path(body.revocation_endpoint as string))
      .type('form')
      .send({ token: 'x' })
      .expect(401);
  });

  it('should refuse to start in production without ISSUER, naming it', async () => {
    await expect(
      createTestApp({
        NODE_ENV: 'production',
        ISSUER: '',
        BCRYPT_COST: '10',
        SECRET_KEY: 'e5b1c9a07d3f4e2b8a6c0d9f1e3b5a7c9d2f4e6a8b0c1d3e5f7a9b2c4d6e8f0a',
      }),
    ).rejects.toThrow(/ISSUER is required in production/);
  });
});
