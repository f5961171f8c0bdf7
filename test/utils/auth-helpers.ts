import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { TEST_ADMIN } from './create-test-app';
import { uniqueName } from './unique';

/** `application/x-www-form-urlencoded` as RFC 6749 Appendix B has it (space → `+`). */
export function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

/** An `Authorization: Basic` value for an OAuth client (RFC 6749 §2.3.1: each half form-encoded). */
export function basicAuth(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`, 'utf8').toString('base64')}`;
}

/** A client_credentials access token with the `admin` scope for the bootstrap admin client. */
export async function adminToken(
  app: NestExpressApplication,
  clientSecret: string = TEST_ADMIN.clientSecret,
): Promise<string> {
  const res = await request(app.getHttpServer())
    .post('/oauth2/token')
    .set('Authorization', basicAuth(TEST_ADMIN.clientId, clientSecret))
    .type('form')
    .send({ grant_type: 'client_credentials', scope: 'admin' })
    .expect(200);
  return res.body.access_token as string;
}

export interface TestApplication {
  client_id: string;
  client_secret?: string;
  name: string;
  type: 'web' | 'spa' | 'mobile' | 'm2m';
  scopes: string[];
}

/** Creates an application through the admin API. */
export async function createApplication(
  app: NestExpressApplication,
  token: string,
  input: { type?: TestApplication['type']; scopes?: string[]; name?: string } = {},
): Promise<TestApplication> {
  const res = await request(app.getHttpServer())
    .post('/admin/applications')
    .auth(token, { type: 'bearer' })
    .send({
      name: input.name ?? uniqueName('app'),
      type: input.type ?? 'web',
      scopes: input.scopes ?? ['openid', 'profile', 'email', 'phone'],
    })
    .expect(201);
  return res.body as TestApplication;
}

export interface TestUser {
  user_id: string;
  username: string;
  email: string | null;
  phone_number: string | null;
  name: string | null;
  password: string;
}

export const TEST_PASSWORD = 'Sign-In-Passw0rd';

/** Creates a user with a password through the admin API; `password` in the result is the one set. */
export async function createUser(
  app: NestExpressApplication,
  token: string,
  input: {
    username?: string;
    email?: string | null;
    phone_number?: string;
    name?: string;
    password?: string;
    must_change_password?: boolean;
  } = {},
): Promise<TestUser> {
  const username = input.username ?? uniqueName('user');
  const password = input.password ?? TEST_PASSWORD;
  const body: Record<string, unknown> = {
    username,
    password,
    email: input.email === undefined ? `${username}@example.com` : input.email,
  };
  if (body.email === null) delete body.email;
  if (input.phone_number !== undefined) body.phone_number = input.phone_number;
  if (input.name !== undefined) body.name = input.name;
  if (input.must_change_password !== undefined)
    body.must_change_password = input.must_change_password;
  const res = await request(app.getHttpServer())
    .post('/admin/users')
    .auth(token, { type: 'bearer' })
    .send(body)
    .expect(201);
  return { ...(res.body as Omit<TestUser, 'password'>), password };
}

/**
 * `grant_type=password` at `client` (HTTP Basic when it has a secret, else `client_id` in the
 * body). Returns the supertest response so callers can assert on errors too.
 */
export function passwordLogin(
  app: NestExpressApplication,
  client: Pick<TestApplication, 'client_id' | 'client_secret'>,
  credentials: { username: string; password: string; scope?: string },
): request.Test {
  const req = request(app.getHttpServer()).post('/oauth2/token').type('form');
  const form: Record<string, string> = {
    grant_type: 'password',
    username: credentials.username,
    password: credentials.password,
    scope: credentials.scope ?? 'openid profile email',
  };
  if (client.client_secret)
    req.set('Authorization', basicAuth(client.client_id, client.client_secret));
  else form.client_id = client.client_id;
  return req.send(form);
}

/** `grant_type=refresh_token` at `client`. */
export function refreshGrant(
  app: NestExpressApplication,
  client: Pick<TestApplication, 'client_id' | 'client_secret'>,
  refreshToken: string,
): request.Test {
  const req = request(app.getHttpServer()).post('/oauth2/token').type('form');
  const form: Record<string, string> = { grant_type: 'refresh_token', refresh_token: refreshToken };
  if (client.client_secret)
    req.set('Authorization', basicAuth(client.client_id, client.client_secret));
  else form.client_id = client.client_id;
  return req.send(form);
}

/** A signed-in user at a fresh web application: what most dialect tests start from. */
export async function signedInUser(
  app: NestExpressApplication,
  options: { scope?: string; user?: Parameters<typeof createUser>[2] } = {},
): Promise<{
  admin: string;
  client: TestApplication;
  user: TestUser;
  tokens: { access_token: string; refresh_token: string; id_token?: string; scope: string };
}> {
  const admin = await adminToken(app);
  const client = await createApplication(app, admin);
  const user = await createUser(app, admin, options.user);
  const tokens = (
    await passwordLogin(app, client, {
      username: user.username,
      password: user.password,
      scope: options.scope,
    }).expect(200)
  ).body as { access_token: string; refresh_token: string; id_token?: string; scope: string };
  return { admin, client, user, tokens };
}
