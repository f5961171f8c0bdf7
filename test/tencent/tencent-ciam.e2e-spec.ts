import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createTestApp, TEST_ADMIN } from '../utils/create-test-app';
import { uniqueCnMobile, uniqueName } from '../utils/unique';

const JSON_UTF8 = 'application/json;charset=UTF-8';
const RFC6750 = 'error_uri="https://tools.ietf.org/html/rfc6750#section-3.1"';
const PASSWORD = 'Initial-Passw0rd';

interface Inbox {
  mails: string[];
  sms: Array<Record<string, string>>;
}

/** A loopback SMTP server and SMS webhook receiver; codes are read from what actually arrives. */
async function startDeliveryPeers(): Promise<{
  inbox: Inbox;
  smtp: SMTPServer;
  webhook: Server;
  env: Record<string, string>;
}> {
  const inbox: Inbox = { mails: [], sms: [] };
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        inbox.mails.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  const webhook = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      inbox.sms.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200).end('{}');
    });
  });
  webhook.listen(0, '127.0.0.1');
  await once(webhook, 'listening');
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const webhookPort = (webhook.address() as AddressInfo).port;
  return {
    inbox,
    smtp,
    webhook,
    env: {
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: 'Tessera <no-reply@tessera.test>',
      SMS_WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/sms`,
    },
  };
}

async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 100; i += 1) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

const codeIn = (text: string): string | undefined => /\b(\d{6})\b/.exec(text)?.[1];

describe('Tencent Cloud CIAM dialect', () => {
  let app: NestExpressApplication;
  let peers: Awaited<ReturnType<typeof startDeliveryPeers>>;
  let adminToken: string;
  let web: { client_id: string; client_secret: string };
  let spa: { client_id: string };

  const http = () => request(app.getHttpServer());
  const resetAsWeb = () =>
    http()
      .post('/reset_user_password')
      .set('Authorization', basic(web.client_id, web.client_secret));
  const basic = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

  async function createUser(
    overrides: Record<string, unknown> = {},
  ): Promise<{ user_id: string; username: string; email: string; phone_number: string }> {
    const username = uniqueName('tuser');
    const body = {
      username,
      email: `${username}@example.com`,
      phone_number: uniqueCnMobile(),
      ...overrides,
    };
    const created = await http()
      .post('/admin/users')
      .auth(adminToken, { type: 'bearer' })
      .send(body)
      .expect(201);
    await http()
      .put(`/admin/users/${created.body.user_id}/password`)
      .auth(adminToken, { type: 'bearer' })
      .send({ password: PASSWORD, must_change_password: false })
      .expect(204);
    return created.body;
  }

  async function login(username: string, password = PASSWORD, scope = 'openid'): Promise<string> {
    const res = await http()
      .post('/oauth2/token')
      .set('Authorization', basic(web.client_id, web.client_secret))
      .type('form')
      .send({ grant_type: 'password', username, password, scope })
      .expect(200);
    return res.body.access_token as string;
  }

  async function sendEmailCode(
    email: string,
    usage = 'reset_password',
  ): Promise<{ token: string; code: string }> {
    const before = peers.inbox.mails.length;
    const res = await http()
      .post('/otp/send')
      .set('Authorization', basic(web.client_id, web.client_secret))
      .send({ email, usage })
      .expect(200);
    const mail = await waitFor(
      () =>
        peers.inbox.mails.slice(before).find((m) => m.toLowerCase().includes(email.toLowerCase())),
      'the email',
    );
    const code = codeIn(
      mail
        .split(/\r?\n\r?\n/)
        .slice(1)
        .join('\n'),
    );
    expect(code).toMatch(/^\d{6}$/);
    return { token: res.body.otp_token as string, code: code! };
  }

  beforeAll(async () => {
    peers = await startDeliveryPeers();
    app = await createTestApp(peers.env);
    const tokenRes = await http()
      .post('/oauth2/token')
      .set('Authorization', basic(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret))
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'admin' })
      .expect(200);
    adminToken = tokenRes.body.access_token;
    web = (
      await http()
        .post('/admin/applications')
        .auth(adminToken, { type: 'bearer' })
        .send({ name: 'Tencent web', type: 'web', scopes: ['openid', 'profile'] })
        .expect(201)
    ).body;
    spa = (
      await http()
        .post('/admin/applications')
        .auth(adminToken, { type: 'bearer' })
        .send({ name: 'Tencent spa', type: 'spa', scopes: ['openid', 'profile'] })
        .expect(201)
    ).body;
  });

  afterAll(async () => {
    await app.close();
    peers.smtp.close();
    peers.webhook.close();
  });

  describe('POST /change_user_password', () => {
    it('should change the password, answer 200 with an empty body and revoke earlier tokens', async () => {
      const user = await createUser();
      const token = await login(user.username);
      const res = await http()
        .post('/change_user_password')
        .auth(token, { type: 'bearer' })
        .send({ old_password: PASSWORD, new_password: 'Brand-New-Passw0rd' })
        .expect(200);
      expect(res.text).toBe('');
      // The token used for the change is now revoked…
      await http().get('/oauth2/userinfo').auth(token, { type: 'bearer' }).expect(401);
      // …and the new password signs in.
      await login(user.username, 'Brand-New-Passw0rd');
    });

    it.each([
      [
        'wrong_old_password',
        { old_password: 'Not-The-Passw0rd', new_password: 'Another-Passw0rd' },
        { error: 'wrong_old_password' },
      ],
      [
        'duplicate_password',
        { old_password: PASSWORD, new_password: PASSWORD },
        { error: 'duplicate_password' },
      ],
      [
        'invalid_new_password',
        { old_password: PASSWORD, new_password: 'short' },
        { error: 'invalid_new_password' },
      ],
    ])('should answer %s exactly as the seed prints it', async (_name, body, expected) => {
      const user = await createUser();
      const token = await login(user.username);
      const res = await http()
        .post('/change_user_password')
        .auth(token, { type: 'bearer' })
        .send(body)
        .expect(400);
      expect(res.headers['content-type']).toBe(JSON_UTF8);
      expect(res.body).toEqual(expected);
    });

    it('should answer recurrent_password for a previous password', async () => {
      const user = await createUser();
      let token = await login(user.username);
      await http()
        .post('/change_user_password')
        .auth(token, { type: 'bearer' })
        .send({ old_password: PASSWORD, new_password: 'Second-Passw0rd' })
        .expect(200);
      token = await login(user.username, 'Second-Passw0rd');
      const res = await http()
        .post('/change_user_password')
        .auth(token, { type: 'bearer' })
        .send({ old_password: 'Second-Passw0rd', new_password: PASSWORD })
        .expect(400);
      expect(res.body).toEqual({ error: 'recurrent_password' });
    });

    it.each([
      ['frozen', { status: 'frozen' }, 'User is frozen.'],
      ['locked', { status: 'locked' }, 'User is locked.'],
    ])('should answer abnormal_user_status for a %s user', async (_name, patch, description) => {
      const user = await createUser();
      const token = await login(user.username);
      await http()
        .patch(`/admin/users/${user.user_id}`)
        .auth(adminToken, { type: 'bearer' })
        .send(patch)
        .expect(200);
      const res = await http()
        .post('/change_user_password')
        .auth(token, { type: 'bearer' })
        .send({ old_password: PASSWORD, new_password: 'Another-Passw0rd' })
        .expect(400);
      expect(res.headers['content-type']).toBe(JSON_UTF8);
      expect(res.body).toEqual({ error: 'abnormal_user_status', error_description: description });
    });

    it('should answer 400 invalid_request with the seed challenge when the bearer token is missing', async () => {
      const res = await http()
        .post('/change_user_password')
        .send({ old_password: 'a', new_password: 'b' })
        .expect(400);
      expect(res.headers['www-authenticate']).toBe(
        `Bearer error="invalid_request", error_description="Bearer token not found in the request", ${RFC6750}`,
      );
    });

    it('should answer 401 invalid_token with the seed challenge for a bad token', async () => {
      const res = await http()
        .post('/change_user_password')
        .auth('not.a.jwt', { type: 'bearer' })
        .send({ old_password: 'a', new_password: 'b' })
        .expect(401);
      expect(res.headers['www-authenticate']).toBe(
        `Bearer error="invalid_token", error_description="Error decoding JWT", ${RFC6750}`,
      );
    });

    it('should answer 403 insufficient_scope for a token without openid', async () => {
      const user = await createUser();
      const token = await login(user.username, PASSWORD, 'profile');
      const res = await http()
        .post('/change_user_password')
        .auth(token, { type: 'bearer' })
        .send({ old_password: PASSWORD, new_password: 'Another-Passw0rd' })
        .expect(403);
      expect(res.headers['www-authenticate']).toMatch(
        /^Bearer error="insufficient_scope", error_description="The request requires higher priv/,
      );
      expect(res.headers['www-authenticate']).toContain(RFC6750);
    });

    it('should count a wrong old password towards lockout', async () => {
      const user = await createUser();
      const token = await login(user.username);
      for (let i = 0; i < 5; i += 1) {
        await http()
          .post('/change_user_password')
          .auth(token, { type: 'bearer' })
          .send({ old_password: `Wrong-Passw0rd-${i}`, new_password: 'Another-Passw0rd' })
          .expect(400);
      }
      const res = await http()
        .post('/change_user_password')
        .auth(token, { type: 'bearer' })
        .send({ old_password: PASSWORD, new_password: 'Another-Passw0rd' })
        .expect(400);
      expect(res.body).toEqual({
        error: 'abnormal_user_status',
        error_description: 'User is locked.',
      });
    });
  });

  describe('POST /reset_user_password', () => {
    it('should reset by email code through real SMTP and revoke every token', async () => {
      const user = await createUser();
      const token = await login(user.username);
      const { token: otpToken, code } = await sendEmailCode(user.email);
      const res = await resetAsWeb()
        .send({
          password: 'Reset-Passw0rd-1',
          email: user.email,
          email_otp: code,
          email_otp_token: otpToken,
        })
        .expect(200);
      expect(res.text).toBe('');
      await http().get('/oauth2/userinfo').auth(token, { type: 'bearer' }).expect(401);
      await login(user.username, 'Reset-Passw0rd-1');
      // Single use.
      const again = await resetAsWeb()
        .send({
          password: 'Reset-Passw0rd-2',
          email: user.email,
          email_otp: code,
          email_otp_token: otpToken,
        })
        .expect(400);
      expect(again.body).toEqual({ error: 'bad_email_otp_token' });
    });

    it('should reset by SMS code through the HTTP webhook, for a public client with client_id only', async () => {
      const user = await createUser();
      const before = peers.inbox.sms.length;
      const sent = await http()
        .post('/otp/send')
        .send({
          client_id: spa.client_id,
          phone_number: user.phone_number,
          usage: 'reset_password',
        })
        .expect(200);
      const sms = await waitFor(
        () => peers.inbox.sms.slice(before).find((m) => m.phone_number === user.phone_number),
        'the SMS',
      );
      expect(sms).toEqual(
        expect.objectContaining({ phone_number: user.phone_number, usage: 'reset_password' }),
      );
      expect(sms.message).toContain(sms.code);
      const wrong = await http()
        .post('/reset_user_password')
        .send({
          client_id: spa.client_id,
          password: 'Sms-Reset-Passw0rd',
          phone_number: user.phone_number,
          phone_number_otp: sms.code === '000000' ? '111111' : '000000',
          phone_number_otp_token: sent.body.otp_token,
        })
        .expect(400);
      expect(wrong.headers['content-type']).toBe(JSON_UTF8);
      expect(wrong.body).toEqual({ error: 'bad_phone_number_otp' });
      await http()
        .post('/reset_user_password')
        .send({
          client_id: spa.client_id,
          password: 'Sms-Reset-Passw0rd',
          phone_number: user.phone_number,
          phone_number_otp: sms.code,
          phone_number_otp_token: sent.body.otp_token,
        })
        .expect(200);
      await login(user.username, 'Sms-Reset-Passw0rd');
    });

    it('should answer bad_email_otp_token for an unknown token or one bound to another email', async () => {
      const user = await createUser();
      const other = await createUser();
      const { token: otpToken, code } = await sendEmailCode(user.email);
      const res = await resetAsWeb()
        .send({
          password: 'Reset-Passw0rd-1',
          email: other.email,
          email_otp: code,
          email_otp_token: otpToken,
        })
        .expect(400);
      expect(res.body).toEqual({ error: 'bad_email_otp_token' });
      const unknown = await resetAsWeb()
        .send({
          password: 'Reset-Passw0rd-1',
          email: user.email,
          email_otp: code,
          email_otp_token: 'nope',
        })
        .expect(400);
      expect(unknown.body).toEqual({ error: 'bad_email_otp_token' });
    });

    it('should not consume the code when the password is rejected', async () => {
      const user = await createUser();
      const { token: otpToken, code } = await sendEmailCode(user.email);
      const send = (password: string) =>
        resetAsWeb().send({
          password,
          email: user.email,
          email_otp: code,
          email_otp_token: otpToken,
        });
      expect((await send('weak').expect(400)).body).toEqual({ error: 'invalid_new_password' });
      expect((await send(PASSWORD).expect(400)).body).toEqual({ error: 'duplicate_password' });
      await send('Accepted-Passw0rd').expect(200);
    });

    it('should answer abnormal_user_status for a frozen user', async () => {
      const user = await createUser();
      await http()
        .patch(`/admin/users/${user.user_id}`)
        .auth(adminToken, { type: 'bearer' })
        .send({ status: 'frozen' })
        .expect(200);
      const { token: otpToken, code } = await sendEmailCode(user.email);
      const res = await resetAsWeb()
        .send({
          password: 'Reset-Passw0rd-1',
          email: user.email,
          email_otp: code,
          email_otp_token: otpToken,
        })
        .expect(400);
      expect(res.body).toEqual({
        error: 'abnormal_user_status',
        error_description: 'User is frozen.',
      });
    });

    it('should answer user_not_found when the account was removed after the send', async () => {
      const user = await createUser();
      const { token: otpToken, code } = await sendEmailCode(user.email);
      await http()
        .delete(`/admin/users/${user.user_id}`)
        .auth(adminToken, { type: 'bearer' })
        .expect(204);
      const res = await resetAsWeb()
        .send({
          password: 'Reset-Passw0rd-1',
          email: user.email,
          email_otp: code,
          email_otp_token: otpToken,
        })
        .expect(400);
      expect(res.body).toEqual({ error: 'user_not_found' });
    });

    it('should answer the same to /otp/send for an unknown email and send nothing', async () => {
      const before = peers.inbox.mails.length;
      const nobody = `${uniqueName('nobody')}@example.com`;
      const res = await http()
        .post('/otp/send')
        .set('Authorization', basic(web.client_id, web.client_secret))
        .send({ email: nobody, usage: 'reset_password' })
        .expect(200);
      expect(Object.keys(res.body)).toEqual(['otp_token']);
      await new Promise((r) => setTimeout(r, 300));
      expect(peers.inbox.mails.length).toBe(before);
      const reset = await resetAsWeb()
        .send({
          password: 'Reset-Passw0rd-1',
          email: nobody,
          email_otp: '123456',
          email_otp_token: res.body.otp_token,
        })
        .expect(400);
      expect(reset.body).toEqual({ error: 'bad_email_otp' });
    });

    it('should refuse a wrong client secret with invalid_client', async () => {
      const res = await http()
        .post('/reset_user_password')
        .set('Authorization', basic(web.client_id, 'wrong-secret'))
        .send({
          password: 'Reset-Passw0rd-1',
          email: 'a@example.com',
          email_otp: '123456',
          email_otp_token: 'x',
        })
        .expect(401);
      expect(res.headers['content-type']).toBe(JSON_UTF8);
      expect(res.body).toEqual({ error: 'invalid_client' });
    });

    it('should let exactly one of two parallel resets with one code succeed', async () => {
      const user = await createUser();
      const { token: otpToken, code } = await sendEmailCode(user.email);
      const attempt = (password: string) =>
        resetAsWeb().send({
          password,
          email: user.email,
          email_otp: code,
          email_otp_token: otpToken,
        });
      const results = await Promise.all([
        attempt('Parallel-Passw0rd-A'),
        attempt('Parallel-Passw0rd-B'),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
      expect(results.find((r) => r.status === 400)!.body).toEqual({ error: 'bad_email_otp_token' });
      const history = await app
        .get(DataSource)
        .query('SELECT COUNT(*) AS n FROM password_history WHERE user_id = ? AND reason = ?', [
          user.user_id,
          'reset',
        ]);
      expect(Number(history[0].n)).toBe(1);
    });
  });

  describe('OTP sign-in grant on /oauth2/token', () => {
    it('should sign a user in with an email code (JSON body) and then allow a password change', async () => {
      const user = await createUser();
      const { token: otpToken, code } = await sendEmailCode(user.email, 'login');
      const res = await http()
        .post('/oauth2/token')
        .send({
          grant_type: 'http://tencentciam.com/oauth2/grant-type/otp/email',
          client_id: web.client_id,
          client_secret: web.client_secret,
          email: user.email,
          otp_token: otpToken,
          otp: code,
          scope: 'openid',
          auth_source_id: 'ignored',
        })
        .expect(200);
      expect(res.body.token_type).toBe('Bearer');
      await http()
        .post('/change_user_password')
        .auth(res.body.access_token, { type: 'bearer' })
        .send({ old_password: PASSWORD, new_password: 'Otp-Login-Passw0rd' })
        .expect(200);
    });

    it('should refuse a wrong code with invalid_grant', async () => {
      const user = await createUser();
      const { token: otpToken, code } = await sendEmailCode(user.email, 'login');
      const res = await http()
        .post('/oauth2/token')
        .send({
          grant_type: 'http://tencentciam.com/oauth2/grant-type/otp/email',
          client_id: web.client_id,
          client_secret: web.client_secret,
          email: user.email,
          otp_token: otpToken,
          otp: code === '000000' ? '111111' : '000000',
        })
        .expect(400);
      expect(res.body.error).toBe('invalid_grant');
    });
  });
});
