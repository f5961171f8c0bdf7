import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { User } from '../../../src/users/user.entity';
import { startSmsReceiver, startSmtpReceiver, waitFor } from '../../otp/otp-delivery-peers';
import {
  adminToken,
  basicAuth,
  createApplication,
  createUser,
  passwordLogin,
  type TestApplication,
  type TestUser,
} from '../../utils/auth-helpers';
import { createTestApp } from '../../utils/create-test-app';
import { uniqueCnMobile, uniqueName } from '../../utils/unique';
import { tenantClient, tenantUserName } from '../tenant/tenant-test-app';
import { idaasError, SUCCESS, sdkHeaders, sdkIdToken, sdkLogin } from './idaas-sdk-test-app';

const codeIn = (text: string): string => {
  const match = /(?<!\d)(\d{6})(?!\d)/.exec(text);
  if (!match?.[1]) throw new Error(`no six-digit code in: ${text}`);
  return match[1];
};
const wrong = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

const STATE_TOKEN_INVALID = idaasError('IDAAS.SDK.PARAM.0014', 'Invalid state token');
const ID_TOKEN_INVALID = idaasError('IDAAS.SDK.PARAM.0016', 'IdToken is invalid or expired');
const WRONG_CODE = idaasError('IDAAS.SDK.CAPTCHA.0007', 'Incorrect verification code');
const DAY_MS = 86_400_000;
const LOGIN_FAILED = idaasError('IDAAS.SDK.LOGIN.0001', 'Incorrect username or password');

describe('IDaaS SDK API', () => {
  let app: NestExpressApplication;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let sms: Awaited<ReturnType<typeof startSmsReceiver>>;
  let admin: string;
  let mobileApp: TestApplication;
  let webApp: TestApplication;
  const http = () => request(app.getHttpServer());
  const sdk = (clientId: string = mobileApp.client_id) => ({
    get: (path: string) => http().get(`/api/v2/sdk/${path}`).set(sdkHeaders(clientId)),
    post: (path: string) => http().post(`/api/v2/sdk/${path}`).set(sdkHeaders(clientId)),
  });
  const credentialsOf = (user: TestUser, password = user.password) => ({
    user_name: user.username,
    password,
  });

  const mailTo = async (email: string, before: number): Promise<string> => {
    const mail = await waitFor(
      () => smtp.mails.slice(before).find((m) => m.to.includes(email.toLowerCase())),
      `mail to ${email}`,
    );
    return codeIn(mail.text);
  };
  const smsTo = async (phone: string, before: number): Promise<string> => {
    const message = await waitFor(
      () => sms.received.slice(before).find((m) => m.body.phone_number === phone),
      `SMS to ${phone}`,
    );
    return String(message.body.code);
  };

  const checkExist = (idToken: string, clientId = mobileApp.client_id) =>
    sdk(clientId).get('pwd/check-exist').set('Authorization', `Bearer ${idToken}`);

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    sms = await startSmsReceiver();
    app = await createTestApp({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'no-reply@tessera.test',
      SMS_WEBHOOK_URL: sms.url,
    });
    admin = await adminToken(app);
    mobileApp = await createApplication(app, admin, { type: 'mobile' });
    webApp = await createApplication(app, admin, { type: 'web' });
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
    await sms.close();
  });

  describe('POST /api/v2/sdk/login', () => {
    it('should answer SUCCESS with a session and an id_token, by username, email or mobile', async () => {
      const phone = uniqueCnMobile();
      const user = await createUser(app, admin, { phone_number: phone });
      for (const login of [user.username, user.email ?? '', phone.slice(3)]) {
        const res = await sdkLogin(app, mobileApp.client_id, {
          user_name: login,
          password: user.password,
        }).expect(200);
        expect(res.body).toEqual(SUCCESS);
        expect(res.body.expire).toBe(30 * 24 * 3600);
      }
    });

    it('should give an unknown user, a wrong password, a frozen and a locked user one answer', async () => {
      const user = await createUser(app, admin);
      const withStatus = async (status: 'frozen' | 'locked') => {
        const other = await createUser(app, admin);
        await http()
          .patch(`/admin/users/${other.user_id}`)
          .auth(admin, { type: 'bearer' })
          .send({ status })
          .expect(200);
        return other;
      };
      const frozen = await withStatus('frozen');
      const locked = await withStatus('locked');
      // The frozen and the locked user send their right password: the status still does not show.
      const answers = await Promise.all([
        sdkLogin(app, mobileApp.client_id, credentialsOf(user, 'Wrong-Passw0rd')),
        sdkLogin(app, mobileApp.client_id, { user_name: uniqueName('nobody'), password: 'x' }),
        sdkLogin(app, mobileApp.client_id, credentialsOf(frozen)),
        sdkLogin(app, mobileApp.client_id, credentialsOf(locked)),
      ]);
      for (const res of answers) {
        expect(res.status).toBe(400);
        expect(res.body).toEqual(LOGIN_FAILED);
      }
      const zh = await sdkLogin(app, mobileApp.client_id, credentialsOf(user, 'x'), 'zh-CN');
      expect(zh.body).toEqual(idaasError('IDAAS.SDK.LOGIN.0001', '用户名或密码错误'));
    });
  });

  describe('forced change after an administrator set the password', () => {
    it('should answer PASSWORD_EXPIRED, then SUCCESS on pwd/update with the state token, once', async () => {
      const user = await createUser(app, admin);
      await http()
        .put(`/admin/users/${user.user_id}/password`)
        .auth(admin, { type: 'bearer' })
        .send({ password: 'Admin-Chosen-Passw0rd' })
        .expect(204);
      const login = await sdkLogin(
        app,
        mobileApp.client_id,
        credentialsOf(user, 'Admin-Chosen-Passw0rd'),
      ).expect(200);
      expect(login.body).toEqual({
        status: 'PASSWORD_EXPIRED',
        state_token: expect.any(String),
        data: expect.any(String),
      });
      expect(JSON.parse(login.body.data as string)).toMatchObject({ minLength: 8, maxLength: 64 });
      const stateToken = login.body.state_token as string;

      // A policy refusal leaves the state token usable.
      const weak = await sdk()
        .post('pwd/update')
        .set('X-state-token', stateToken)
        .send({ old_password: 'Admin-Chosen-Passw0rd', new_password: 'short' })
        .expect(400);
      expect(weak.body.error_code).toBe('IDAAS.SDK.PWD.0007');
      // Not at another application.
      const elsewhere = await sdk(webApp.client_id)
        .post('pwd/update')
        .set('X-state-token', stateToken)
        .send({ old_password: 'Admin-Chosen-Passw0rd', new_password: 'Own-Chosen-Passw0rd' })
        .expect(400);
      expect(elsewhere.body).toEqual(STATE_TOKEN_INVALID);
      // PASSWORD_EXPIRED may not be skipped.
      const skipped = await sdk()
        .get('pwd/skip-update')
        .set('X-state-token', stateToken)
        .expect(400);
      expect(skipped.body).toEqual(STATE_TOKEN_INVALID);

      const updated = await sdk()
        .post('pwd/update')
        .set('X-state-token', stateToken)
        .send({ old_password: 'Admin-Chosen-Passw0rd', new_password: 'Own-Chosen-Passw0rd' })
        .expect(200);
      expect(updated.body).toEqual(SUCCESS);
      await checkExist(updated.body.id_token as string)
        .expect(200)
        .expect({ is_set_pwd: true });

      const reused = await sdk()
        .post('pwd/update')
        .set('X-state-token', stateToken)
        .set('X-L', 'zh')
        .send({ old_password: 'Own-Chosen-Passw0rd', new_password: 'Third-Chosen-Passw0rd' })
        .expect(400);
      expect(reused.body).toEqual(idaasError('IDAAS.SDK.PARAM.0014', 'stateToken无效'));
      await sdkIdToken(app, mobileApp.client_id, credentialsOf(user, 'Own-Chosen-Passw0rd'));
    });

    it('should take a tenant set with the default must_modify through PASSWORD_EXPIRED and pwd/update to SUCCESS', async () => {
      const tenant = await tenantClient(app);
      const tenantApi = (req: request.Test) => req.auth(tenant.token, { type: 'bearer' });
      const userName = tenantUserName();
      const userId = (
        await tenantApi(http().post('/api/v2/tenant/users'))
          .send({ user_name: userName, password: 'Tenant-Initial-Pw1' })
          .expect(200)
      ).body.user_id as string;
      await sdkIdToken(app, mobileApp.client_id, {
        user_name: userName,
        password: 'Tenant-Initial-Pw1',
      });
      // Seed 002: no must_modify, so the user must change the password at the next sign-in.
      await tenantApi(http().put(`/api/v2/tenant/users/${userId}/change-password`))
        .send({ password: 'Tenant-Set-Pw1' })
        .expect(200)
        .expect({ user_id: userId });

      const login = await sdkLogin(app, mobileApp.client_id, {
        user_name: userName,
        password: 'Tenant-Set-Pw1',
      }).expect(200);
      expect(login.body).toEqual({
        status: 'PASSWORD_EXPIRED',
        state_token: expect.any(String),
        data: expect.any(String),
      });
      const updated = await sdk()
        .post('pwd/update')
        .set('X-state-token', login.body.state_token as string)
        .send({ old_password: 'Tenant-Set-Pw1', new_password: 'Own-Chosen-Passw0rd' })
        .expect(200);
      expect(updated.body).toEqual(SUCCESS);

      await sdkIdToken(app, mobileApp.client_id, {
        user_name: userName,
        password: 'Own-Chosen-Passw0rd',
      });
      const old = await sdkLogin(app, mobileApp.client_id, {
        user_name: userName,
        password: 'Tenant-Set-Pw1',
      }).expect(400);
      expect(old.body).toEqual(LOGIN_FAILED);
    });

    it('should answer PARAM.0014 without a state token or with an unknown one', async () => {
      for (const token of [undefined, 'no-such-state-token']) {
        const req = sdk().post('pwd/update');
        if (token) req.set('X-state-token', token);
        const res = await req.send({ old_password: 'a', new_password: 'b' }).expect(400);
        expect(res.body).toEqual(STATE_TOKEN_INVALID);
      }
    });
  });

  describe('expiring password', () => {
    it('should answer PASSWORD_WARN, then SUCCESS on skip-update, once', async () => {
      const warnApp = await createApplication(app, admin, { type: 'mobile' });
      await http()
        .put(`/admin/applications/${warnApp.client_id}/password-policy`)
        .auth(admin, { type: 'bearer' })
        .send({ max_age_days: 1, expiry_warn_days: 7 })
        .expect(200);
      const user = await createUser(app, admin);
      const login = await sdkLogin(app, warnApp.client_id, credentialsOf(user)).expect(200);
      expect(login.body).toEqual({
        status: 'PASSWORD_WARN',
        state_token: expect.any(String),
        data: expect.any(String),
      });
      expect(JSON.parse(login.body.data as string)).toMatchObject({
        maxAgeDays: 1,
        expiryWarnDays: 7,
      });
      const skip = () =>
        sdk(warnApp.client_id)
          .get('pwd/skip-update')
          .set('X-state-token', login.body.state_token as string);
      const res = await skip().expect(200);
      expect(res.body).toEqual(SUCCESS);
      await checkExist(res.body.id_token as string, warnApp.client_id).expect(200);
      expect((await skip().expect(400)).body).toEqual(STATE_TOKEN_INVALID);
    });
    it('should answer PASSWORD_EXPIRED for a password older than max_age_days, then SUCCESS on pwd/update', async () => {
      const expiringApp = await createApplication(app, admin, { type: 'mobile' });
      await http()
        .put(`/admin/applications/${expiringApp.client_id}/password-policy`)
        .auth(admin, { type: 'bearer' })
        .send({ max_age_days: 90, expiry_warn_days: 7 })
        .expect(200);
      const user = await createUser(app, admin);
      await sdkIdToken(app, expiringApp.client_id, credentialsOf(user));
      await app
        .get(DataSource)
        .getRepository(User)
        .update({ id: user.user_id }, { passwordChangedAt: new Date(Date.now() - 91 * DAY_MS) });

      const login = await sdkLogin(app, expiringApp.client_id, credentialsOf(user)).expect(200);
      expect(login.body).toEqual({
        status: 'PASSWORD_EXPIRED',
        state_token: expect.any(String),
        data: expect.any(String),
      });
      expect(JSON.parse(login.body.data as string)).toMatchObject({ maxAgeDays: 90 });
      const updated = await sdk(expiringApp.client_id)
        .post('pwd/update')
        .set('X-state-token', login.body.state_token as string)
        .send({ old_password: user.password, new_password: 'Renewed-Passw0rd-91' })
        .expect(200);
      expect(updated.body).toEqual(SUCCESS);
      await sdkIdToken(app, expiringApp.client_id, credentialsOf(user, 'Renewed-Passw0rd-91'));
    });
  });

  describe('forgot password', () => {
    it('should reset by email with a FORGET_PWD_EMS code through SMTP, once', async () => {
      const user = await createUser(app, admin);
      const email = user.email ?? '';
      const before = smtp.mails.length;
      const sent = await sdk()
        .post('email/send')
        .set('X-L', 'zh')
        .send({ email: email.toUpperCase(), type: 'FORGET_PWD_EMS', captcha_token: 'ignored' })
        .expect(200);
      expect(sent.headers['content-type']).toBe('application/json');
      expect(sent.text).toBe('');
      const code = await mailTo(email, before);

      const bad = await sdk()
        .post('pwd/update-by-email')
        .send({ email, verify_code: wrong(code), password: 'Forgot-Email-Passw0rd' })
        .expect(400);
      expect(bad.body).toEqual(WRONG_CODE);
      await sdk()
        .post('pwd/update-by-email')
        .send({ email, verify_code: code, password: 'Forgot-Email-Passw0rd' })
        .expect(200);
      const reused = await sdk()
        .post('pwd/update-by-email')
        .set('X-L', 'zh')
        .send({ email, verify_code: code, password: 'Forgot-Again-Passw0rd' })
        .expect(400);
      expect(reused.body).toEqual(idaasError('IDAAS.SDK.CAPTCHA.0007', '验证码错误'));
      await sdkIdToken(app, mobileApp.client_id, credentialsOf(user, 'Forgot-Email-Passw0rd'));
    });

    it('should reset by mobile with a FORGET_PWD_SMS code through the webhook', async () => {
      const phone = uniqueCnMobile();
      const user = await createUser(app, admin, { phone_number: phone });
      const before = sms.received.length;
      await sdk().post('sms/send').send({ mobile: phone, type: 'FORGET_PWD_SMS' }).expect(200);
      const code = await smsTo(phone, before);
      expect(sms.received.at(-1)?.body.usage).toBe('reset_password');
      await sdk()
        .post('pwd/update-by-mobile')
        .send({ mobile: phone, verify_code: code, password: 'Forgot-Mobile-Passw0rd' })
        .expect(200);
      await sdkIdToken(app, mobileApp.client_id, credentialsOf(user, 'Forgot-Mobile-Passw0rd'));
    });

    it('should kill a code after five wrong tries', async () => {
      const phone = uniqueCnMobile();
      await createUser(app, admin, { phone_number: phone });
      const before = sms.received.length;
      await sdk().post('sms/send').send({ mobile: phone, type: 'FORGET_PWD_SMS' }).expect(200);
      const code = await smsTo(phone, before);
      for (let i = 0; i < 5; i += 1) {
        const res = await sdk()
          .post('pwd/update-by-mobile')
          .send({ mobile: phone, verify_code: wrong(code), password: 'Capped-Tries-Passw0rd' })
          .expect(400);
        expect(res.body).toEqual(WRONG_CODE);
      }
      const res = await sdk()
        .post('pwd/update-by-mobile')
        .send({ mobile: phone, verify_code: code, password: 'Capped-Tries-Passw0rd' })
        .expect(400);
      expect(res.body).toEqual(WRONG_CODE);
    });

    it('should answer an unknown target as a known one and send nothing', async () => {
      const phone = uniqueCnMobile();
      const before = sms.received.length;
      const res = await sdk()
        .post('sms/send')
        .send({ mobile: phone, type: 'FORGET_PWD_SMS' })
        .expect(200);
      expect(res.text).toBe('');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(sms.received.slice(before).filter((m) => m.body.phone_number === phone)).toEqual([]);
    });

    it('should refuse another type, a second send within a minute, and a forgot without mobile', async () => {
      const phone = uniqueCnMobile();
      const badType = await sdk()
        .post('sms/send')
        .send({ mobile: phone, type: 'FORGET_PWD_EMS' })
        .expect(400);
      expect(badType.body).toEqual(
        idaasError('IDAAS.SDK.COMMON.0001', 'Invalid request parameter: type'),
      );
      await sdk().post('sms/send').send({ mobile: phone, type: 'UPDATE_PWD_SMS' }).expect(200);
      const again = await sdk()
        .post('sms/send')
        .send({ mobile: phone, type: 'UPDATE_PWD_SMS' })
        .expect(400);
      expect(again.body.error_code).toBe('IDAAS.SDK.CAPTCHA.0429');
      expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
      const noMobile = await sdk()
        .post('pwd/update-by-mobile')
        .send({ verify_code: '123456', password: 'Whatever-Passw0rd' })
        .expect(400);
      expect(noMobile.body).toEqual(
        idaasError('IDAAS.SDK.COMMON.0001', 'Invalid request parameter: mobile'),
      );
      const noPassword = await sdk()
        .post('pwd/update-by-mobile')
        .send({ mobile: phone, verify_code: '123456' })
        .expect(400);
      expect(noPassword.body).toEqual(
        idaasError('IDAAS.SDK.PARAM.0019', 'New password cannot be empty'),
      );
    });
  });

  describe('change by code when signed in', () => {
    it('should change with an UPDATE_PWD_SMS code sent to the own mobile, and end the id_token', async () => {
      const phone = uniqueCnMobile();
      const user = await createUser(app, admin, { phone_number: phone });
      const idToken = await sdkIdToken(app, mobileApp.client_id, credentialsOf(user));
      const before = sms.received.length;
      await sdk().post('sms/send').send({ mobile: phone, type: 'UPDATE_PWD_SMS' }).expect(200);
      const code = await smsTo(phone, before);
      expect(sms.received.at(-1)?.body.usage).toBe('change_password');
      await sdk()
        .post('pwd/update-by-mobile')
        .set('Authorization', `Bearer ${idToken}`)
        .send({ verify_code: code, password: 'Changed-By-Sms-Passw0rd' })
        .expect(200);
      expect((await checkExist(idToken).expect(400)).body).toEqual(ID_TOKEN_INVALID);
      await sdkIdToken(app, mobileApp.client_id, credentialsOf(user, 'Changed-By-Sms-Passw0rd'));
    });

    it('should not take a FORGET code for a signed-in change, nor an UPDATE code for a reset', async () => {
      const user = await createUser(app, admin);
      const email = user.email ?? '';
      const idToken = await sdkIdToken(app, mobileApp.client_id, credentialsOf(user));
      let before = smtp.mails.length;
      await sdk().post('email/send').send({ email, type: 'FORGET_PWD_EMS' }).expect(200);
      const forget = await mailTo(email, before);
      const asChange = await sdk()
        .post('pwd/update-by-email')
        .set('Authorization', `Bearer ${idToken}`)
        .send({ verify_code: forget, password: 'Mixed-Up-Passw0rd' })
        .expect(400);
      expect(asChange.body).toEqual(WRONG_CODE);
      before = smtp.mails.length;
      await sdk().post('email/send').send({ email, type: 'UPDATE_PWD_EMS' }).expect(200);
      const update = await mailTo(email, before);
      const asReset = await sdk()
        .post('pwd/update-by-email')
        .send({ email, verify_code: update, password: 'Mixed-Up-Passw0rd' })
        .expect(400);
      expect(asReset.body).toEqual(WRONG_CODE);
      await sdk()
        .post('pwd/update-by-email')
        .set('Authorization', `Bearer ${idToken}`)
        .send({ verify_code: update, password: 'Mixed-Up-Passw0rd' })
        .expect(200);
    });
    it('should keep the code after a refused password, and refuse a bad id_token first', async () => {
      const user = await createUser(app, admin);
      const email = user.email ?? '';
      const idToken = await sdkIdToken(app, mobileApp.client_id, credentialsOf(user));
      const before = smtp.mails.length;
      await sdk().post('email/send').send({ email, type: 'UPDATE_PWD_EMS' }).expect(200);
      const code = await mailTo(email, before);
      const badToken = await sdk()
        .post('pwd/update-by-email')
        .set('Authorization', 'Bearer not-an-id-token')
        .send({ verify_code: code, password: 'Kept-Code-Passw0rd' })
        .expect(400);
      expect(badToken.body).toEqual(ID_TOKEN_INVALID);
      const weak = await sdk()
        .post('pwd/update-by-email')
        .set('Authorization', `Bearer ${idToken}`)
        .set('X-L', 'zh')
        .send({ verify_code: code, password: 'qwerty123' })
        .expect(400);
      expect(weak.body).toEqual(idaasError('IDAAS.SDK.PWD.0005', '该密码为弱密码'));
      await sdk()
        .post('pwd/update-by-email')
        .set('Authorization', `Bearer ${idToken}`)
        .send({ verify_code: code, password: 'Kept-Code-Passw0rd' })
        .expect(200);
    });
  });

  describe('a user without a password', () => {
    it('should sign in with a one-time code, see is_set_pwd false and set a first password', async () => {
      const username = uniqueName('otponly');
      const email = `${username}@example.com`;
      const created = await http()
        .post('/admin/users')
        .auth(admin, { type: 'bearer' })
        .send({ username, email })
        .expect(201);
      expect(created.body.has_password).toBe(false);
      const before = smtp.mails.length;
      const sent = await http()
        .post('/otp/send')
        .set('Authorization', basicAuth(webApp.client_id, webApp.client_secret ?? ''))
        .send({ email, usage: 'login' })
        .expect(200);
      const code = await mailTo(email, before);
      const tokens = await http()
        .post('/oauth2/token')
        .send({
          grant_type: 'http://tencentciam.com/oauth2/grant-type/otp/email',
          client_id: webApp.client_id,
          client_secret: webApp.client_secret,
          email,
          otp_token: sent.body.otp_token,
          otp: code,
          scope: 'openid',
        })
        .expect(200);
      const idToken = tokens.body.id_token as string;
      await checkExist(idToken, webApp.client_id).expect(200).expect({ is_set_pwd: false });
      const res = await sdk(webApp.client_id)
        .post('pwd/change')
        .set('Authorization', `Bearer ${idToken}`)
        .send({ new_password: 'First-Own-Passw0rd' })
        .expect(200);
      expect(res.text).toBe('');
      expect((await checkExist(idToken, webApp.client_id).expect(400)).body).toEqual(
        ID_TOKEN_INVALID,
      );
      const fresh = await sdkIdToken(app, webApp.client_id, {
        user_name: username,
        password: 'First-Own-Passw0rd',
      });
      await checkExist(fresh, webApp.client_id).expect(200).expect({ is_set_pwd: true });
    });
  });

  describe('revocation', () => {
    it('should end the tokens of every dialect on pwd/change', async () => {
      const user = await createUser(app, admin);
      const native = await passwordLogin(app, webApp, {
        username: user.username,
        password: user.password,
        scope: 'openid',
      }).expect(200);
      const huawei = await http()
        .post('/v3/auth/tokens')
        .send({
          auth: {
            identity: {
              methods: ['password'],
              password: {
                user: { name: user.username, password: user.password, domain: { name: 'acme' } },
              },
            },
          },
        })
        .expect(201);
      const subject = huawei.headers['x-subject-token'];
      const idToken = await sdkIdToken(app, mobileApp.client_id, credentialsOf(user));
      const other = await sdkIdToken(app, mobileApp.client_id, credentialsOf(user));

      // All alive before the change.
      await http()
        .get('/oauth2/userinfo')
        .auth(native.body.access_token as string, { type: 'bearer' })
        .expect(200);
      await http()
        .get('/v3/auth/tokens')
        .set('X-Auth-Token', subject)
        .set('X-Subject-Token', subject)
        .expect(200);

      await sdk()
        .post('pwd/change')
        .set('Authorization', `Bearer ${idToken}`)
        .send({ old_password: user.password, new_password: 'Revokes-All-Passw0rd' })
        .expect(200);

      await http()
        .get('/oauth2/userinfo')
        .auth(native.body.access_token as string, { type: 'bearer' })
        .expect(401);
      const keystone = await http()
        .get('/v3/auth/tokens')
        .set('X-Auth-Token', subject)
        .set('X-Subject-Token', subject);
      expect(keystone.status).toBe(401);
      for (const token of [idToken, other, native.body.id_token as string]) {
        const res = await sdk(
          token === native.body.id_token ? webApp.client_id : mobileApp.client_id,
        )
          .get('pwd/check-exist')
          .set('Authorization', `Bearer ${token}`)
          .expect(400);
        expect(res.body).toEqual(ID_TOKEN_INVALID);
      }
    });
  });
});
