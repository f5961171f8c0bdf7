import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { IdentityErrorCode } from '../../src/common/errors/identity-error';
import { ResetPasswordWithOtpUseCase } from '../../src/credentials/use-cases/reset-password-with-otp.use-case';
import { SendOneTimeCodeUseCase } from '../../src/credentials/use-cases/send-one-time-code.use-case';
import { OtpChallenge } from '../../src/otp/otp-challenge.entity';
import { OtpDeliveryService } from '../../src/otp/otp-delivery.service';
import {
  adminToken,
  basicAuth,
  createApplication,
  createUser,
  passwordLogin,
  type TestApplication,
} from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';
import { uniqueName } from '../utils/unique';
import { startSmtpReceiver, waitFor } from './otp-delivery-peers';

const codeIn = (text: string): string => {
  const match = /(?<!\d)(\d{6})(?!\d)/.exec(text);
  if (!match?.[1]) throw new Error(`no six-digit code in: ${text}`);
  return match[1];
};

describe('One-time code use cases', () => {
  let app: NestExpressApplication;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let admin: string;
  let client: TestApplication;
  let sendCode: SendOneTimeCodeUseCase;
  let reset: ResetPasswordWithOtpUseCase;

  const mailTo = (target: string) =>
    waitFor(() => smtp.mails.find((mail) => mail.to.includes(target)), `mail to ${target}`);
  const usagesOf = async (target: string): Promise<string[]> =>
    (await app.get(DataSource).getRepository(OtpChallenge).findBy({ target })).map(
      (row) => row.usage,
    );

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    app = await createTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'no-reply@tessera.test' });
    admin = await adminToken(app);
    client = await createApplication(app, admin);
    sendCode = app.get(SendOneTimeCodeUseCase);
    reset = app.get(ResetPasswordWithOtpUseCase);
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  describe(ResetPasswordWithOtpUseCase.name, () => {
    it('should reset with a code presented by target alone (IDaaS), in the language asked for, once', async () => {
      const user = await createUser(app, admin);
      const email = user.email ?? '';
      await sendCode.execute({
        clientId: client.client_id,
        channel: 'email',
        target: email.toUpperCase(),
        usage: 'reset_password',
        language: 'zh',
      });
      const mail = await mailTo(email);
      expect(mail.subject).toBe('重置密码验证码');
      const command = {
        clientId: client.client_id,
        channel: 'email' as const,
        target: email,
        code: codeIn(mail.text),
        newPassword: 'Reset-By-Target-Passw0rd',
      };

      // A password the policy refuses leaves the code usable…
      await expect(reset.execute({ ...command, newPassword: 'short' })).rejects.toMatchObject({
        code: IdentityErrorCode.PASSWORD_POLICY_VIOLATION,
      });
      await expect(reset.execute(command)).resolves.toBeUndefined();
      await passwordLogin(app, client, {
        username: user.username,
        password: command.newPassword,
      }).expect(200);
      // …and an accepted one spends it.
      await expect(
        reset.execute({ ...command, newPassword: 'Another-Reset-Passw0rd' }),
      ).rejects.toMatchObject({
        code: IdentityErrorCode.OTP_TOKEN_INVALID,
        details: { channel: 'email' },
      });
    });
  });

  describe(SendOneTimeCodeUseCase.name, () => {
    it('should send nothing for a password change to a target without an account', async () => {
      const nobody = `${uniqueName('nobody')}@example.com`;
      await sendCode.execute({
        clientId: client.client_id,
        channel: 'email',
        target: nobody,
        usage: 'change_password',
      });
      await app.get(OtpDeliveryService).whenIdle();

      expect(smtp.mails.some((mail) => mail.to.includes(nobody))).toBe(false);
      await expect(usagesOf(nobody)).resolves.toEqual(['change_password']);
    });

    it.each([
      ['login', 'sign_in'],
      ['signup', 'sign_up'],
      ['update_userinfo', 'update_contact'],
      ['reset_password', 'reset_password'],
    ])('should store Tencent usage %s as the domain usage %s, in English', async (wire, domain) => {
      const user = await createUser(app, admin);
      const email = user.email ?? '';
      await request(app.getHttpServer())
        .post('/otp/send')
        .set('Authorization', basicAuth(client.client_id, client.client_secret ?? ''))
        .send({ email, usage: wire })
        .expect(200);

      await expect(usagesOf(email)).resolves.toEqual([domain]);
      const mail = await mailTo(email);
      expect(mail.subject).toBe('Your verification code');
      expect(mail.text).toMatch(/^Your verification code is \d{6}\. /);
    });
  });
});
