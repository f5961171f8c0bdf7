import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { sdkHeaders } from '../../idaas/sdk/idaas-sdk-test-app';
import { basicAuth, type TestApplication } from '../../utils/auth-helpers';

/** A six-digit code out of a delivered message. */
export function codeIn(text: string): string {
  const match = /(?<!\d)(\d{6})(?!\d)/.exec(text);
  if (!match?.[1]) throw new Error(`no six-digit code in: ${text}`);
  return match[1];
}

/** Another six-digit code than `code`, offset by `by` (distinct wrong guesses). */
export function wrongCode(code: string, by = 1): string {
  return String((Number(code) + by) % 1_000_000).padStart(6, '0');
}

/**
 * The calls each dialect's clients make, as the seeds and API.md §3 spell them, for tests that
 * drive one user through several dialects.
 */
export function dialectClients(app: NestExpressApplication) {
  const http = () => request(app.getHttpServer());
  return {
    /** Huawei `POST /v3/auth/tokens`: the `X-Subject-Token`, or the response when refused. */
    huaweiSignIn: (name: string, password: string) =>
      http()
        .post('/v3/auth/tokens')
        .send({
          auth: {
            identity: {
              methods: ['password'],
              password: { user: { name, password, domain: { name: 'acme' } } },
            },
          },
        }),
    huaweiChange: (token: string, userId: string, original: string, password: string) =>
      http()
        .post(`/v3/users/${userId}/password`)
        .set('X-Auth-Token', token)
        .send({ user: { original_password: original, password } }),
    tencentChange: (accessToken: string, oldPassword: string, newPassword: string) =>
      http()
        .post('/change_user_password')
        .auth(accessToken, { type: 'bearer' })
        .send({ old_password: oldPassword, new_password: newPassword }),
    tencentSendEmail: (client: TestApplication, email: string, usage: string) =>
      http()
        .post('/otp/send')
        .set('Authorization', basicAuth(client.client_id, client.client_secret ?? ''))
        .send({ email, usage }),
    tencentReset: (
      client: TestApplication,
      body: { email: string; email_otp: string; email_otp_token: string; password: string },
    ) =>
      http()
        .post('/reset_user_password')
        .set('Authorization', basicAuth(client.client_id, client.client_secret ?? ''))
        .send(body),
    tencentOtpGrant: (
      client: TestApplication,
      body: { email: string; otp_token: string; otp: string },
    ) =>
      http()
        .post('/oauth2/token')
        .send({
          grant_type: 'http://tencentciam.com/oauth2/grant-type/otp/email',
          client_id: client.client_id,
          client_secret: client.client_secret,
          scope: 'openid',
          ...body,
        }),
    sdkLogin: (clientId: string, userName: string, password: string) =>
      http()
        .post('/api/v2/sdk/login')
        .set(sdkHeaders(clientId))
        .send({ user_name: userName, password }),
    sdkChange: (clientId: string, idToken: string, oldPassword: string, newPassword: string) =>
      http()
        .post('/api/v2/sdk/pwd/change')
        .set(sdkHeaders(clientId))
        .set('Authorization', `Bearer ${idToken}`)
        .send({ old_password: oldPassword, new_password: newPassword }),
    sdkSend: (
      clientId: string,
      body: { mobile: string; type: string } | { email: string; type: string },
    ) =>
      http()
        .post(`/api/v2/sdk/${'mobile' in body ? 'sms' : 'email'}/send`)
        .set(sdkHeaders(clientId))
        .send(body),
    sdkForgotByMobile: (clientId: string, mobile: string, code: string, password: string) =>
      http()
        .post('/api/v2/sdk/pwd/update-by-mobile')
        .set(sdkHeaders(clientId))
        .send({ mobile, verify_code: code, password }),
  };
}
