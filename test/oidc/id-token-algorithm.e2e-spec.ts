import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import {
  adminToken,
  createApplication,
  createUser,
  passwordLogin,
  refreshGrant,
  type TestApplication,
  type TestUser,
} from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';
import { uniqueName } from '../utils/unique';

/**
 * OIDC Core §15.1: ID tokens are RS256 unless the application chose ES256
 * (`id_token_signed_response_alg`, set on create or by PATCH); access tokens stay ES256.
 */
describe('ID token signing algorithm per application', () => {
  let app: NestExpressApplication;
  let admin: string;
  let user: TestUser;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    admin = await adminToken(app);
    user = await createUser(app, admin);
  });
  afterAll(() => app.close());

  const createWith = (body: Record<string, unknown>) =>
    http()
      .post('/admin/applications')
      .auth(admin, { type: 'bearer' })
      .send({ name: uniqueName('app'), type: 'web', scopes: ['openid', 'profile'], ...body });
  const patch = (clientId: string, body: object) =>
    http().patch(`/admin/applications/${clientId}`).auth(admin, { type: 'bearer' }).send(body);

  /** Verifies an ID token against the published JWKS with exactly `algorithm`. */
  const verifiedIdToken = async (
    idToken: string,
    clientId: string,
    algorithm: 'RS256' | 'ES256',
  ): Promise<jwt.JwtPayload> => {
    const { keys } = (await http().get('/.well-known/jwks.json').expect(200)).body as {
      keys: Array<JsonWebKey & { kid: string; alg: string }>;
    };
    const kid = jwt.decode(idToken, { complete: true })?.header.kid;
    const jwk = keys.find((key) => key.kid === kid);
    expect(jwk?.alg).toBe(algorithm);
    const issuer = (
      (await http().get('/.well-known/openid-configuration')).body as { issuer: string }
    ).issuer;
    return jwt.verify(idToken, createPublicKey({ key: jwk!, format: 'jwk' }), {
      algorithms: [algorithm],
      audience: clientId,
      issuer,
    }) as jwt.JwtPayload;
  };
  const signIn = async (client: TestApplication) =>
    (await passwordLogin(app, client, { ...user, scope: 'openid profile' }).expect(200)).body as {
      access_token: string;
      refresh_token: string;
      id_token: string;
    };
  const algOf = (token: string) => jwt.decode(token, { complete: true })?.header.alg;

  it('should default to RS256 and show the choice on create and read', async () => {
    const created = await createWith({}).expect(201);
    expect(created.body.id_token_signed_response_alg).toBe('RS256');
    const chosen = await createWith({ id_token_signed_response_alg: 'ES256' }).expect(201);
    expect(chosen.body.id_token_signed_response_alg).toBe('ES256');
    const read = await http()
      .get(`/admin/applications/${chosen.body.client_id as string}`)
      .auth(admin, { type: 'bearer' })
      .expect(200);
    expect(read.body.id_token_signed_response_alg).toBe('ES256');
  });

  it.each([['HS256'], ['none'], ['rs256'], [null], [256]])(
    'should refuse id_token_signed_response_alg %j on create and on update',
    async (value) => {
      const onCreate = await createWith({ id_token_signed_response_alg: value }).expect(400);
      expect(onCreate.body).toMatchObject({
        error: 'invalid_request',
        fields: [expect.objectContaining({ field: 'id_token_signed_response_alg' })],
      });
      const client = await createApplication(app, admin);
      const onUpdate = await patch(client.client_id, { id_token_signed_response_alg: value });
      expect(onUpdate.status).toBe(400);
      expect(onUpdate.body.fields).toEqual([
        expect.objectContaining({ field: 'id_token_signed_response_alg' }),
      ]);
    },
  );

  it('should refuse unknown fields and unknown applications on update', async () => {
    const client = await createApplication(app, admin);
    await patch(client.client_id, { client_secret: 'x' }).expect(400);
    const missing = await patch('no-such-client', { id_token_signed_response_alg: 'ES256' });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('application_not_found');
    const unchanged = await patch(client.client_id, {}).expect(200);
    expect(unchanged.body.id_token_signed_response_alg).toBe('RS256');
  });

  it('should sign ID tokens with the application’s algorithm and access tokens with ES256', async () => {
    const rs = await createApplication(app, admin);
    const es = (await createWith({ id_token_signed_response_alg: 'ES256' }).expect(201))
      .body as TestApplication;

    const rsTokens = await signIn(rs);
    expect(algOf(rsTokens.id_token)).toBe('RS256');
    expect(algOf(rsTokens.access_token)).toBe('ES256');
    const rsClaims = await verifiedIdToken(rsTokens.id_token, rs.client_id, 'RS256');
    expect(rsClaims).toMatchObject({ sub: user.user_id, aud: rs.client_id });

    const esTokens = await signIn(es);
    expect(algOf(esTokens.id_token)).toBe('ES256');
    expect(algOf(esTokens.access_token)).toBe('ES256');
    await verifiedIdToken(esTokens.id_token, es.client_id, 'ES256');
  });

  it('should follow a changed choice from the next token on, refreshes included', async () => {
    const client = await createApplication(app, admin);
    const first = await signIn(client);
    expect(algOf(first.id_token)).toBe('RS256');

    const changed = await patch(client.client_id, { id_token_signed_response_alg: 'ES256' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      client_id: client.client_id,
      id_token_signed_response_alg: 'ES256',
    });
    const refreshed = (await refreshGrant(app, client, first.refresh_token).expect(200)).body as {
      id_token: string;
    };
    expect(algOf(refreshed.id_token)).toBe('ES256');
    await verifiedIdToken(refreshed.id_token, client.client_id, 'ES256');
    // The RS256 ID token issued before the change still verifies.
    await verifiedIdToken(first.id_token, client.client_id, 'RS256');
  });

  it('should refuse an ID token as an access token, whatever its algorithm', async () => {
    const es = (await createWith({ id_token_signed_response_alg: 'ES256' }).expect(201))
      .body as TestApplication;
    for (const client of [await createApplication(app, admin), es]) {
      const { id_token } = await signIn(client);
      await http().get('/oauth2/userinfo').auth(id_token, { type: 'bearer' }).expect(401);
    }
  });
});
