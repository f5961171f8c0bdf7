import type { NestExpressApplication } from '@nestjs/platform-express';
import fc from 'fast-check';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { type Dialect } from '../../src/common/http/dialect-routing';
import { type BodyRoute, liveBodyRoutes } from '../contract/client-faults';
import { sdkHeaders, sdkIdToken } from '../idaas/sdk/idaas-sdk-test-app';
import { tenantClient } from '../idaas/tenant/tenant-test-app';
import {
  adminToken,
  basicAuth,
  createApplication,
  createUser,
  passwordLogin,
  type TestApplication,
  type TestUser,
} from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';
import { uniqueCnMobile, uniqueName } from '../utils/unique';
import { dialectClients } from './support/dialect-clients';
import {
  hostileBody,
  type JsonText,
  mutatedTemplate,
  type ValueKind,
} from './support/hostile-values';

/** Runs per route and per family of bodies; the whole file stays well under a minute. */
const NUM_RUNS = 25;
/** Stop at the first counterexample and show it short: some are 20 KiB strings. */
const PARAMETERS: fc.Parameters<[unknown]> = {
  numRuns: NUM_RUNS,
  endOnFailure: true,
  reporter: (details) => {
    if (!details.failed) return;
    const shown = JSON.stringify(details.counterexample).slice(0, 400);
    throw new Error(
      `${String(details.errorInstance)}\n  counterexample (seed ${details.seed}): ${shown}`,
    );
  },
};
const S: readonly ValueKind[] = ['string'];
const N: readonly ValueKind[] = ['number'];
const B: readonly ValueKind[] = ['boolean'];
const A: readonly ValueKind[] = ['array'];

/** A route that takes a body, with what it needs to get past authentication to its body. */
interface HostileRoute extends BodyRoute {
  dialect: Dialect;
  url: () => string;
  authorize: (req: request.Test) => request.Test;
  /** A body the route would act on; each field listed with the kinds it may hold. */
  template: () => Record<string, unknown>;
  fields: Readonly<Record<string, readonly ValueKind[]>>;
  /** The route reads no body (its input is the token or the query string). */
  bodyIgnored?: true;
  /** Fewer runs for a route whose success has a lasting effect (a new signing key). */
  numRuns?: number;
}

/** The dialect's error shape for a 4xx; a message when the answer is not one. */
function dialectFault(route: HostileRoute, res: request.Response): string | undefined {
  const body = res.body as Record<string, unknown>;
  const isString = (value: unknown) => typeof value === 'string' && value.length > 0;
  if (res.status >= 500) return `5xx: ${res.status} ${res.text}`;
  if (route.bodyIgnored && res.status < 400) return undefined;
  if (res.status < 400) return `accepted: ${res.status} ${res.text}`;
  const type = res.headers['content-type'];
  switch (route.dialect) {
    case 'native':
      return type === 'application/json; charset=utf-8' &&
        isString(body.error) &&
        isString(body.error_description)
        ? undefined
        : `not native: ${type} ${res.text}`;
    case 'tencent':
      return type === 'application/json;charset=UTF-8' && isString(body.error)
        ? undefined
        : `not Tencent: ${type} ${res.text}`;
    case 'huawei': {
      if (route.path.startsWith('/v3.0/'))
        return /^IAM\.\d{4}$/.test(String(body.error_code)) && isString(body.error_msg)
          ? undefined
          : `not Huawei /v3.0: ${res.text}`;
      const error = body.error as Record<string, unknown> | undefined;
      return error && isString(error.title) && isString(error.message) && error.code !== undefined
        ? undefined
        : `not Keystone: ${res.text}`;
    }
    case 'idaas-tenant':
      return (/^IDAAS\.(TENANT|COMMON)\./.test(String(body.error_code)) &&
        isString(body.error_msg)) ||
        (body.error === 'invalid_token' && body.error_description === 'Invalid access')
        ? undefined
        : `not IDaaS tenant: ${res.text}`;
    case 'idaas-sdk':
      return /^IDAAS\.(SDK|COMMON)\./.test(String(body.error_code)) && isString(body.error_msg)
        ? undefined
        : `not IDaaS SDK: ${res.text}`;
  }
}

/**
 * Property-based hostile bodies on every route of every dialect that takes one: arbitrary JSON
 * values, unknown and prototype-polluting keys, deep and huge documents, unicode oddities and
 * wrongly typed fields in an otherwise valid body. Each answer is a 4xx in the route's dialect,
 * never a 5xx, and nothing changes: the user's password still works, the policy is as it was,
 * no row is added, and `Object.prototype` is untouched in this very process.
 */
describe('Hostile bodies on every route of every dialect', () => {
  let app: NestExpressApplication;
  let admin: string;
  let web: TestApplication;
  let mobile: TestApplication;
  /** The user every route aims at; its password must keep working. */
  let victim: TestUser;
  /** A user whose password must be changed: its state token reaches `pwd/update`. */
  let forced: TestUser;
  const tokens = {} as Record<
    | 'access'
    | 'xAuth'
    | 'adminXAuth'
    | 'sdkId'
    | 'stateToken'
    | 'tenant'
    | 'tenantClientId'
    | 'tenantSecret',
    string
  >;
  const http = () => request(app.getHttpServer());
  const bearer = (token: () => string) => (req: request.Test) =>
    req.set('Authorization', `Bearer ${token()}`);
  const sdk =
    (extra: (req: request.Test) => request.Test = (r) => r) =>
    (req: request.Test) =>
      extra(req.set(sdkHeaders(mobile.client_id)));
  const newPassword = () => `Never-Set-${uniqueName('p')}`;

  const routes = (): HostileRoute[] => [
    // Native (API.md §2).
    {
      dialect: 'native',
      method: 'post',
      path: '/oauth2/token',
      url: () => '/oauth2/token',
      authorize: (req) => req.set('Authorization', basicAuth(web.client_id, web.client_secret!)),
      template: () => ({
        grant_type: 'password',
        username: victim.username,
        password: victim.password,
        scope: 'openid',
      }),
      fields: { grant_type: S, username: S, password: S, scope: S },
    },
    {
      dialect: 'native',
      method: 'post',
      path: '/oauth2/revoke',
      url: () => '/oauth2/revoke',
      authorize: (req) => req.set('Authorization', basicAuth(web.client_id, web.client_secret!)),
      template: () => ({ token: tokens.access, token_type_hint: 'access_token' }),
      fields: { token: S, token_type_hint: S },
    },
    {
      dialect: 'native',
      method: 'post',
      path: '/oauth2/userinfo',
      url: () => '/oauth2/userinfo',
      authorize: bearer(() => tokens.access),
      template: () => ({}),
      fields: {},
      bodyIgnored: true,
    },
    {
      dialect: 'native',
      method: 'post',
      path: '/admin/users',
      url: () => '/admin/users',
      authorize: bearer(() => admin),
      template: () => ({
        username: uniqueName('hostile'),
        password: newPassword(),
        email: `${uniqueName('hostile')}@example.com`,
        name: 'Hostile',
        must_change_password: false,
        roles: [],
      }),
      fields: { username: S, password: S, email: S, name: S, must_change_password: B, roles: A },
    },
    {
      dialect: 'native',
      method: 'patch',
      path: '/admin/users/:user_id',
      url: () => `/admin/users/${victim.user_id}`,
      authorize: bearer(() => admin),
      template: () => ({ status: 'frozen', roles: ['admin'] }),
      fields: { status: S, roles: A },
    },
    {
      dialect: 'native',
      method: 'put',
      path: '/admin/users/:user_id/password',
      url: () => `/admin/users/${victim.user_id}/password`,
      authorize: bearer(() => admin),
      template: () => ({ password: newPassword(), must_change_password: false }),
      fields: { password: S, must_change_password: B },
    },
    {
      dialect: 'native',
      method: 'put',
      path: '/admin/password-policy',
      url: () => '/admin/password-policy',
      authorize: bearer(() => admin),
      template: () => ({ min_length: 9, lockout_threshold: 6, block_common_passwords: false }),
      fields: { min_length: N, lockout_threshold: N, block_common_passwords: B },
    },
    {
      dialect: 'native',
      method: 'put',
      path: '/admin/applications/:client_id/password-policy',
      url: () => `/admin/applications/${web.client_id}/password-policy`,
      authorize: bearer(() => admin),
      template: () => ({ min_length: 9, history_count: 3, forbid_username: false }),
      fields: { min_length: N, history_count: N, forbid_username: B },
    },
    {
      dialect: 'native',
      method: 'post',
      path: '/admin/applications',
      url: () => '/admin/applications',
      authorize: bearer(() => admin),
      template: () => ({ name: uniqueName('app'), type: 'web', scopes: ['openid'] }),
      fields: { name: S, type: S, scopes: A },
    },
    {
      dialect: 'native',
      method: 'patch',
      path: '/admin/applications/:client_id',
      url: () => `/admin/applications/${web.client_id}`,
      authorize: bearer(() => admin),
      template: () => ({ id_token_signed_response_alg: 'RS256' }),
      fields: { id_token_signed_response_alg: S },
    },
    {
      dialect: 'native',
      method: 'post',
      path: '/admin/keys/rotate',
      url: () => '/admin/keys/rotate',
      authorize: bearer(() => admin),
      template: () => ({}),
      fields: {},
      bodyIgnored: true,
      numRuns: 5,
    },
    // Tencent Cloud CIAM (seeds 000, 001).
    {
      dialect: 'tencent',
      method: 'post',
      path: '/change_user_password',
      url: () => '/change_user_password',
      authorize: bearer(() => tokens.access),
      template: () => ({ old_password: victim.password, new_password: newPassword() }),
      fields: { old_password: S, new_password: S },
    },
    {
      dialect: 'tencent',
      method: 'post',
      path: '/reset_user_password',
      url: () => '/reset_user_password',
      authorize: (req) => req.set('Authorization', basicAuth(web.client_id, web.client_secret!)),
      template: () => ({
        email: victim.email,
        email_otp: '123456',
        email_otp_token: 'x'.repeat(43),
        password: newPassword(),
      }),
      fields: { email: S, email_otp: S, email_otp_token: S, password: S },
    },
    {
      dialect: 'tencent',
      method: 'post',
      path: '/otp/send',
      url: () => '/otp/send',
      authorize: (req) => req.set('Authorization', basicAuth(web.client_id, web.client_secret!)),
      template: () => ({ email: `${uniqueName('otp')}@example.com`, usage: 'reset_password' }),
      fields: { email: S, usage: S },
    },
    // Huawei Cloud IAM (seed 003).
    {
      dialect: 'huawei',
      method: 'post',
      path: '/v3/auth/tokens',
      url: () => '/v3/auth/tokens',
      authorize: (req) => req,
      template: () => ({
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: victim.username, password: victim.password } },
          },
        },
      }),
      fields: {
        auth: ['object'],
        'auth.identity': ['object'],
        'auth.identity.methods': A,
        'auth.identity.password': ['object'],
        'auth.identity.password.user': ['object'],
        'auth.identity.password.user.name': S,
        'auth.identity.password.user.password': S,
      },
    },
    {
      dialect: 'huawei',
      method: 'post',
      path: '/v3/users/:user_id/password',
      url: () => `/v3/users/${victim.user_id}/password`,
      authorize: (req) => req.set('X-Auth-Token', tokens.xAuth),
      template: () => ({ user: { original_password: victim.password, password: newPassword() } }),
      fields: { user: ['object'], 'user.original_password': S, 'user.password': S },
    },
    {
      dialect: 'huawei',
      method: 'put',
      path: '/v3.0/OS-SECURITYPOLICY/domains/:domain_id/password-policy',
      url: () => '/v3.0/OS-SECURITYPOLICY/domains/any-domain/password-policy',
      authorize: (req) => req.set('X-Auth-Token', tokens.adminXAuth),
      template: () => ({ password_policy: { minimum_password_length: 9 } }),
      fields: { password_policy: ['object'], 'password_policy.minimum_password_length': N },
    },
    {
      dialect: 'huawei',
      method: 'put',
      path: '/v3.0/OS-SECURITYPOLICY/domains/:domain_id/login-policy',
      url: () => '/v3.0/OS-SECURITYPOLICY/domains/any-domain/login-policy',
      authorize: (req) => req.set('X-Auth-Token', tokens.adminXAuth),
      template: () => ({ login_policy: { login_failed_times: 7 } }),
      fields: { login_policy: ['object'], 'login_policy.login_failed_times': N },
    },
    // IDaaS tenant API (seed 002).
    {
      dialect: 'idaas-tenant',
      method: 'post',
      path: '/api/v2/tenant/token',
      url: () =>
        `/api/v2/tenant/token?grant_type=client_credentials&client_id=${tokens.tenantClientId}&client_secret=${tokens.tenantSecret}`,
      authorize: (req) => req,
      template: () => ({}),
      fields: {},
      bodyIgnored: true,
    },
    {
      dialect: 'idaas-tenant',
      method: 'put',
      path: '/api/v2/tenant/users/:user_id/change-password',
      url: () => `/api/v2/tenant/users/${victim.user_id}/change-password`,
      authorize: bearer(() => tokens.tenant),
      template: () => ({ password: newPassword(), must_modify: false }),
      fields: { password: S, must_modify: B },
    },
    {
      dialect: 'idaas-tenant',
      method: 'post',
      path: '/api/v2/tenant/users',
      url: () => '/api/v2/tenant/users',
      authorize: bearer(() => tokens.tenant),
      template: () => ({ user_name: `Qa-${uniqueName('t')}`, password: newPassword() }),
      fields: { user_name: S, password: S },
    },
    // IDaaS SDK API (seed 004).
    {
      dialect: 'idaas-sdk',
      method: 'post',
      path: '/api/v2/sdk/login',
      url: () => '/api/v2/sdk/login',
      authorize: sdk(),
      template: () => ({ user_name: victim.username, password: victim.password }),
      fields: { user_name: S, password: S },
    },
    {
      dialect: 'idaas-sdk',
      method: 'post',
      path: '/api/v2/sdk/pwd/update',
      url: () => '/api/v2/sdk/pwd/update',
      authorize: sdk((req) => req.set('X-state-token', tokens.stateToken)),
      template: () => ({ old_password: forced.password, new_password: newPassword() }),
      fields: { old_password: S, new_password: S },
    },
    {
      dialect: 'idaas-sdk',
      method: 'post',
      path: '/api/v2/sdk/pwd/change',
      url: () => '/api/v2/sdk/pwd/change',
      authorize: sdk(bearer(() => tokens.sdkId)),
      template: () => ({ old_password: victim.password, new_password: newPassword() }),
      fields: { old_password: S, new_password: S },
    },
    {
      dialect: 'idaas-sdk',
      method: 'post',
      path: '/api/v2/sdk/sms/send',
      url: () => '/api/v2/sdk/sms/send',
      authorize: sdk(),
      template: () => ({ mobile: uniqueCnMobile(), type: 'FORGET_PWD_SMS' }),
      fields: { mobile: S, type: S },
    },
    {
      dialect: 'idaas-sdk',
      method: 'post',
      path: '/api/v2/sdk/email/send',
      url: () => '/api/v2/sdk/email/send',
      authorize: sdk(),
      template: () => ({ email: `${uniqueName('sdk')}@example.com`, type: 'FORGET_PWD_EMS' }),
      fields: { email: S, type: S },
    },
    {
      dialect: 'idaas-sdk',
      method: 'post',
      path: '/api/v2/sdk/pwd/update-by-mobile',
      url: () => '/api/v2/sdk/pwd/update-by-mobile',
      authorize: sdk(),
      template: () => ({
        mobile: victim.phone_number,
        verify_code: '123456',
        password: newPassword(),
      }),
      fields: { mobile: S, verify_code: S, password: S },
    },
    {
      dialect: 'idaas-sdk',
      method: 'post',
      path: '/api/v2/sdk/pwd/update-by-email',
      url: () => '/api/v2/sdk/pwd/update-by-email',
      authorize: sdk(),
      template: () => ({ email: victim.email, verify_code: '123456', password: newPassword() }),
      fields: { email: S, verify_code: S, password: S },
    },
  ];

  /** Everything a hostile body must not change. */
  async function snapshot(): Promise<unknown> {
    const count = async (table: string) =>
      Number(
        (
          await app
            .get(DataSource)
            .query<Array<{ n: unknown }>>(`SELECT COUNT(*) AS n FROM ${table}`)
        )[0].n,
      );
    const policy = await http().get('/admin/password-policy').auth(admin, { type: 'bearer' });
    // `updated_at` moves on an empty update; every other field must stay.
    const shown = async (id: string) => {
      const res = await http().get(`/admin/users/${id}`).auth(admin, { type: 'bearer' });
      const rest = { ...(res.body as Record<string, unknown>) };
      delete rest.updated_at;
      return rest;
    };
    return {
      policy: policy.body as unknown,
      victim: await shown(victim.user_id),
      forced: await shown(forced.user_id),
      users: await count('users'),
      applications: await count('applications'),
      history: await count('password_history'),
      challenges: await count('otp_challenges'),
      prototype: Object.getOwnPropertyNames(Object.prototype).sort(),
      polluted: ({} as Record<string, unknown>).polluted,
    };
  }

  const send = (route: HostileRoute, body: JsonText) =>
    route
      .authorize(http()[route.method](route.url()))
      .set('Content-Type', 'application/json')
      .send(body);

  beforeAll(async () => {
    // Hundreds of fuzzed requests from one address: the rate limits (rate-limits.e2e-spec.ts)
    // would answer most of them 429 before the body is even read.
    app = await createTestApp({ RATE_LIMIT_IP: '0', RATE_LIMIT_ACCOUNT: '0' });
    admin = await adminToken(app);
    web = await createApplication(app, admin);
    mobile = await createApplication(app, admin, { type: 'mobile' });
    victim = await createUser(app, admin, { phone_number: uniqueCnMobile() });
    forced = await createUser(app, admin, { must_change_password: true });
    const dialects = dialectClients(app);
    tokens.access = (await passwordLogin(app, web, { ...victim, scope: 'openid' }).expect(200)).body
      .access_token as string;
    tokens.xAuth = (
      await dialects.huaweiSignIn(victim.username, victim.password).expect(201)
    ).headers['x-subject-token'];
    const administrator = await createUser(app, admin);
    await http()
      .patch(`/admin/users/${administrator.user_id}`)
      .auth(admin, { type: 'bearer' })
      .send({ roles: ['admin'] })
      .expect(200);
    tokens.adminXAuth = (
      await dialects.huaweiSignIn(administrator.username, administrator.password).expect(201)
    ).headers['x-subject-token'];
    tokens.sdkId = await sdkIdToken(app, mobile.client_id, {
      user_name: victim.username,
      password: victim.password,
    });
    const expired = await dialects.sdkLogin(mobile.client_id, forced.username, forced.password);
    expect(expired.body.status).toBe('PASSWORD_EXPIRED');
    tokens.stateToken = expired.body.state_token as string;
    const tenant = await tenantClient(app);
    tokens.tenant = tenant.token;
    tokens.tenantClientId = tenant.application.client_id;
    tokens.tenantSecret = encodeURIComponent(tenant.application.client_secret);
  });
  afterAll(() => app.close());

  it.each(['native', 'tencent', 'huawei', 'idaas-tenant', 'idaas-sdk'] as const)(
    'should cover every %s route that takes a body',
    (dialect) => {
      const byName = (r: BodyRoute) => `${r.method} ${r.path}`;
      expect(
        routes()
          .filter((r) => r.dialect === dialect)
          .map(byName)
          .sort(),
      ).toEqual(liveBodyRoutes(app, dialect).map(byName).sort());
    },
  );

  describe.each(
    routes().map((r) => [`${r.method.toUpperCase()} ${r.path}`, r.path, r.method] as const),
  )('%s', (_name, path, method) => {
    const route = () => routes().find((r) => r.path === path && r.method === method)!;
    let before: unknown;

    beforeAll(async () => {
      before = await snapshot();
    });

    afterAll(async () => {
      await expect(snapshot()).resolves.toEqual(before);
      await passwordLogin(app, web, victim).expect(200);
    });

    it('should answer any hostile body with a 4xx in its dialect', async () => {
      const r = route();
      await fc.assert(
        fc.asyncProperty(hostileBody(Object.keys(r.template())), async (body) => {
          expect(dialectFault(r, await send(r, body))).toBeUndefined();
        }),
        { ...PARAMETERS, numRuns: r.numRuns ?? NUM_RUNS },
      );
    });

    if (Object.keys(route().fields).length > 0)
      it('should answer a valid body with one field of a wrong type with a 4xx in its dialect', async () => {
        const r = route();
        await fc.assert(
          fc.asyncProperty(
            fc
              .constant(null)
              .map(() => r.template())
              .chain((template) => mutatedTemplate(template, r.fields)),
            async ({ body }) => {
              expect(dialectFault(r, await send(r, body))).toBeUndefined();
            },
          ),
          PARAMETERS,
        );
      });
  });

  // `forbidNonWhitelisted` alone would let keys named after Object.prototype members through as
  // if absent (an empty update); the body check refuses them like any unknown key.
  it.each([
    '{"hasOwnProperty":1}',
    '{"constructor":{"prototype":{"x":1}}}',
    '{"__proto__":{"min_length":1}}',
  ])('should refuse %s on PUT /admin/password-policy like any unknown key', async (body) => {
    const res = await http()
      .put('/admin/password-policy')
      .auth(admin, { type: 'bearer' })
      .set('Content-Type', 'application/json')
      .send(body);
    expect({ status: res.status, error: (res.body as { error?: string }).error }).toEqual({
      status: 400,
      error: 'invalid_request',
    });
  });
});
