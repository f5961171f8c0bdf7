import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { startSmsReceiver, startSmtpReceiver, waitFor } from '../otp/otp-delivery-peers';
import { sdkIdToken } from '../idaas/sdk/idaas-sdk-test-app';
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
import { uniqueCnMobile } from '../utils/unique';
import { codeIn, dialectClients, wrongCode } from './support/dialect-clients';

/** Parallel wrong guesses per burst: far more than the five tries a code allows (API.md §5). */
const GUESSES = 20;
const OTP_MAX_ATTEMPTS = 5;

/**
 * Races over HTTP, across dialects. What the service-level tests already prove (40 parallel
 * guesses against OtpService, ten parallel sends, two parallel admin sets, two parallel Tencent
 * resets, two parallel refreshes) is not repeated: these add the dialect endpoints, the right
 * answer after a burst, a change raced through three dialects, and the family revocation.
 */
describe('Races', () => {
  let app: NestExpressApplication;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let sms: Awaited<ReturnType<typeof startSmsReceiver>>;
  let admin: string;
  let web: TestApplication;
  let mobile: TestApplication;
  let dialects: ReturnType<typeof dialectClients>;
  const http = () => request(app.getHttpServer());
  const sql = (query: string, params: unknown[]) => app.get(DataSource).query(query, params);

  const mailTo = async (email: string, before: number): Promise<string> =>
    codeIn(
      (
        await waitFor(
          () => smtp.mails.slice(before).find((m) => m.to.includes(email.toLowerCase())),
          `mail to ${email}`,
        )
      ).text,
    );
  const smsTo = async (phone: string, before: number): Promise<string> =>
    String(
      (
        await waitFor(
          () => sms.received.slice(before).find((m) => m.body.phone_number === phone),
          `SMS to ${phone}`,
        )
      ).body.code,
    );
  const historyOf = async (userId: string): Promise<string[]> =>
    (
      (await sql('SELECT reason FROM password_history WHERE user_id = ? ORDER BY id', [
        userId,
      ])) as Array<{ reason: string }>
    ).map((row) => row.reason);
  const attemptsOn = async (target: string): Promise<number[]> =>
    (
      (await sql('SELECT attempts FROM otp_challenges WHERE target = ?', [target])) as Array<{
        attempts: number | string;
      }>
    ).map((row) => Number(row.attempts));
  const signsInWith = async (user: TestUser, password: string): Promise<boolean> =>
    (await passwordLogin(app, web, { username: user.username, password })).status === 200;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    sms = await startSmsReceiver();
    app = await createTestApp({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'no-reply@tessera.test',
      SMS_WEBHOOK_URL: sms.url,
    });
    dialects = dialectClients(app);
    admin = await adminToken(app);
    web = await createApplication(app, admin);
    mobile = await createApplication(app, admin, { type: 'mobile' });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    await sms.close();
  });

  describe('one user changing the password in three dialects at once', () => {
    it.each([1, 2, 3])(
      'should let exactly one change win and record one history entry (round %i)',
      async (round) => {
        const user = await createUser(app, admin);
        const access = (await passwordLogin(app, web, { ...user, scope: 'openid' }).expect(200))
          .body.access_token as string;
        const xAuth = (await dialects.huaweiSignIn(user.username, user.password).expect(201))
          .headers['x-subject-token'];
        const idToken = await sdkIdToken(app, mobile.client_id, {
          user_name: user.username,
          password: user.password,
        });
        const next = {
          tencent: `Tencent-Raced-${round}a`,
          huawei: `Huawei-Raced-${round}b`,
          idaas: `Idaas-Raced-${round}c`,
        };
        const [tencent, huawei, idaas] = await Promise.all([
          dialects.tencentChange(access, user.password, next.tencent),
          dialects.huaweiChange(xAuth, user.user_id, user.password, next.huawei),
          dialects.sdkChange(mobile.client_id, idToken, user.password, next.idaas),
        ]);
        const won = {
          tencent: tencent.status === 200,
          huawei: huawei.status === 204,
          idaas: idaas.status === 200,
        };
        expect([tencent.status, huawei.status, idaas.status]).not.toContain(500);
        expect(Object.values(won).filter(Boolean)).toHaveLength(1);
        const winner = (Object.keys(won) as Array<keyof typeof won>).find((k) => won[k])!;

        const works = await Promise.all(
          [user.password, next.tencent, next.huawei, next.idaas].map((p) => signsInWith(user, p)),
        );
        expect(works).toEqual([
          false,
          winner === 'tencent',
          winner === 'huawei',
          winner === 'idaas',
        ]);
        await expect(historyOf(user.user_id)).resolves.toEqual(['initial', 'change']);
      },
    );
  });

  describe('a burst of wrong codes, then the right one', () => {
    const expectDead = (counted: number, attempts: number[]) => {
      expect(counted).toBeLessThanOrEqual(OTP_MAX_ATTEMPTS);
      expect(attempts).toEqual([OTP_MAX_ATTEMPTS]);
    };

    it('should count at most five on Tencent /reset_user_password and refuse the right code after', async () => {
      const user = await createUser(app, admin);
      const email = user.email!;
      const before = smtp.mails.length;
      const otpToken = (await dialects.tencentSendEmail(web, email, 'reset_password').expect(200))
        .body.otp_token as string;
      const code = await mailTo(email, before);
      const attempt = (otp: string) =>
        dialects.tencentReset(web, {
          email,
          email_otp: otp,
          email_otp_token: otpToken,
          password: 'Guessed-Passw0rd-1',
        });
      const results = await Promise.all(
        Array.from({ length: GUESSES }, (_, i) => attempt(wrongCode(code, i + 1))),
      );
      const errors = results.map((res) => `${res.status} ${res.body.error as string}`);
      const counted = errors.filter((e) => e === '400 bad_email_otp').length;
      expect(
        errors.filter((e) => e !== '400 bad_email_otp' && e !== '400 bad_email_otp_token'),
      ).toEqual([]);
      expectDead(counted, await attemptsOn(email));

      const right = await attempt(code);
      expect({ status: right.status, body: right.body }).toEqual({
        status: 400,
        body: { error: 'bad_email_otp_token' },
      });
      await expect(signsInWith(user, user.password)).resolves.toBe(true);
      await expect(signsInWith(user, 'Guessed-Passw0rd-1')).resolves.toBe(false);
    });

    it('should count at most five on the Tencent OTP grant and refuse the right code after', async () => {
      const user = await createUser(app, admin);
      const email = user.email!;
      const before = smtp.mails.length;
      const otpToken = (await dialects.tencentSendEmail(web, email, 'login').expect(200)).body
        .otp_token as string;
      const code = await mailTo(email, before);
      const results = await Promise.all(
        Array.from({ length: GUESSES }, (_, i) =>
          dialects.tencentOtpGrant(web, {
            email,
            otp_token: otpToken,
            otp: wrongCode(code, i + 1),
          }),
        ),
      );
      expect(results.map((res) => `${res.status} ${res.body.error as string}`)).toEqual(
        Array.from({ length: GUESSES }, () => '400 invalid_grant'),
      );
      expectDead(OTP_MAX_ATTEMPTS, await attemptsOn(email));
      const right = await dialects.tencentOtpGrant(web, { email, otp_token: otpToken, otp: code });
      expect(right.status).toBe(400);
      expect(right.body.access_token).toBeUndefined();
    });

    it('should count at most five on IDaaS update-by-mobile and refuse the right code after', async () => {
      const phone = uniqueCnMobile();
      const user = await createUser(app, admin, { phone_number: phone });
      const before = sms.received.length;
      await dialects
        .sdkSend(mobile.client_id, { mobile: phone, type: 'FORGET_PWD_SMS' })
        .expect(200);
      const code = await smsTo(phone, before);
      const results = await Promise.all(
        Array.from({ length: GUESSES }, (_, i) =>
          dialects.sdkForgotByMobile(
            mobile.client_id,
            phone,
            wrongCode(code, i + 1),
            'Guessed-Passw0rd-2',
          ),
        ),
      );
      expect(results.map((res) => `${res.status} ${res.body.error_code as string}`)).toEqual(
        Array.from({ length: GUESSES }, () => '400 IDAAS.SDK.CAPTCHA.0007'),
      );
      expectDead(OTP_MAX_ATTEMPTS, await attemptsOn(phone));
      const right = await dialects.sdkForgotByMobile(
        mobile.client_id,
        phone,
        code,
        'Guessed-Passw0rd-2',
      );
      expect(right.body).toEqual({
        error_code: 'IDAAS.SDK.CAPTCHA.0007',
        error_msg: 'Incorrect verification code',
      });
      await expect(signsInWith(user, user.password)).resolves.toBe(true);
    });
  });

  describe('parallel sends to one target', () => {
    it('should send one Tencent code a minute, whatever the burst', async () => {
      const user = await createUser(app, admin);
      const email = user.email!;
      const before = smtp.mails.length;
      const results = await Promise.all(
        Array.from({ length: 10 }, () => dialects.tencentSendEmail(web, email, 'reset_password')),
      );
      expect(results.filter((res) => res.status === 200)).toHaveLength(1);
      expect(results.filter((res) => res.status >= 500)).toEqual([]);
      await mailTo(email, before);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(
        smtp.mails.slice(before).filter((m) => m.to.includes(email.toLowerCase())),
      ).toHaveLength(1);
      await expect(attemptsOn(email)).resolves.toEqual([0]);
    });

    it('should send one IDaaS SMS a minute, the others refused with CAPTCHA.0429', async () => {
      const phone = uniqueCnMobile();
      await createUser(app, admin, { phone_number: phone });
      const before = sms.received.length;
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          dialects.sdkSend(mobile.client_id, { mobile: phone, type: 'FORGET_PWD_SMS' }),
        ),
      );
      expect(results.filter((res) => res.status === 200)).toHaveLength(1);
      const refused = results.filter((res) => res.status !== 200);
      expect(refused.map((res) => `${res.status} ${res.body.error_code as string}`)).toEqual(
        Array.from({ length: 9 }, () => '400 IDAAS.SDK.CAPTCHA.0429'),
      );
      await smsTo(phone, before);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sms.received.slice(before).filter((m) => m.body.phone_number === phone)).toHaveLength(
        1,
      );
    });
  });

  describe('one code, several resets at once', () => {
    it('should let exactly one IDaaS forgot-password reset win', async () => {
      const phone = uniqueCnMobile();
      const user = await createUser(app, admin, { phone_number: phone });
      const before = sms.received.length;
      await dialects
        .sdkSend(mobile.client_id, { mobile: phone, type: 'FORGET_PWD_SMS' })
        .expect(200);
      const code = await smsTo(phone, before);
      const passwords = Array.from({ length: 5 }, (_, i) => `Raced-Reset-Passw0rd-${i}`);
      const results = await Promise.all(
        passwords.map((p) => dialects.sdkForgotByMobile(mobile.client_id, phone, code, p)),
      );
      const winners = passwords.filter((_, i) => results[i].status === 200);
      expect(winners).toHaveLength(1);
      for (const res of results.filter((r) => r.status !== 200))
        expect(res.body.error_code).toBe('IDAAS.SDK.CAPTCHA.0007');
      const works = await Promise.all(passwords.map((p) => signsInWith(user, p)));
      expect(works).toEqual(passwords.map((p) => p === winners[0]));
      await expect(historyOf(user.user_id)).resolves.toEqual(['initial', 'reset']);
    });
  });

  describe('one refresh token, used in parallel', () => {
    it('should rotate at most once and revoke the family on the replays', async () => {
      const { client, tokens } = await (async () => {
        const user = await createUser(app, admin);
        const login = await passwordLogin(app, web, { ...user, scope: 'openid' }).expect(200);
        return {
          client: web,
          tokens: login.body as { refresh_token: string; access_token: string },
        };
      })();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => refreshGrant(app, client, tokens.refresh_token)),
      );
      const won = results.filter((res) => res.status === 200);
      expect(won.length).toBeLessThanOrEqual(1);
      expect(results.filter((res) => res.status !== 200).map((res) => res.body.error)).toEqual(
        Array.from({ length: 8 - won.length }, () => 'invalid_grant'),
      );
      // Whatever won, the replays revoked the family: neither the new tokens nor the old work.
      const userinfo = (token: string) =>
        http().get('/oauth2/userinfo').auth(token, { type: 'bearer' });
      for (const res of won) {
        await refreshGrant(app, client, res.body.refresh_token as string).expect(400);
        await userinfo(res.body.access_token as string).expect(401);
      }
      await userinfo(tokens.access_token).expect(401);
      await refreshGrant(app, client, tokens.refresh_token).expect(400);
    });
  });
});
