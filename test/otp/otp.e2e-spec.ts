import { randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../src/common/errors/identity-error';
import { TransactionRunner } from '../../src/database/transaction-runner';
import { OtpChallenge } from '../../src/otp/otp-challenge.entity';
import { OtpDeliveryService } from '../../src/otp/otp-delivery.service';
import { OtpSendThrottle } from '../../src/otp/otp-send-throttle.entity';
import { SMTP_GREETING_TIMEOUT_MS } from '../../src/otp/senders/email-otp.sender';
import {
  OTP_HOURLY_CAP,
  OTP_MAX_ATTEMPTS,
  OTP_RESEND_INTERVAL_SECONDS,
  OtpService,
  type VerifyChallengeCommand,
} from '../../src/otp/otp.service';
import { createOtpTestModule } from './create-otp-test-module';
import {
  startSlowSmtpServer,
  startSmsReceiver,
  startSmtpReceiver,
  waitFor,
} from './otp-delivery-peers';
import { suiteSecretKey } from '../utils/suite-secret-key';

const MAIL_FROM = 'Tessera <no-reply@tessera.test>';
const CLIENT = 'otp-test-client';

const uniqueEmail = (): string => `otp-${randomUUID().slice(0, 12)}@example.test`;
const uniquePhone = (): string =>
  `+86138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const codeIn = (text: string): string => {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match) throw new Error(`no six-digit code in: ${text}`);
  return match[1];
};
/** 'ok', or the code of the IdentityError; anything else fails the test. */
const outcome = (promise: Promise<unknown>): Promise<'ok' | IdentityErrorCode> =>
  promise.then(
    () => 'ok' as const,
    (error: unknown) => {
      if (error instanceof IdentityError) return error.code;
      throw error;
    },
  );

describe(OtpService.name, () => {
  let app: TestingModule;
  let otp: OtpService;
  let dataSource: DataSource;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let sms: Awaited<ReturnType<typeof startSmsReceiver>>;

  const mailTo = (target: string) =>
    waitFor(() => smtp.mails.find((mail) => mail.to.includes(target)), `mail to ${target}`);
  const smsTo = (target: string) =>
    waitFor(
      () => sms.received.find((item) => item.body.phone_number === target),
      `SMS to ${target}`,
    );

  /** Issues an email code and reads it from the mail that arrives. */
  async function emailChallenge(
    usage: VerifyChallengeCommand['usage'] = 'reset_password',
  ): Promise<VerifyChallengeCommand> {
    const target = uniqueEmail();
    const { otpToken } = await otp.issueChallenge({
      clientId: CLIENT,
      channel: 'email',
      target,
      usage,
      deliver: true,
    });
    const code = codeIn((await mailTo(target)).text);
    return { otpToken, code, clientId: CLIENT, channel: 'email', target, usage };
  }

  const wrong = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  const attemptsOf = async (target: string): Promise<number> =>
    (await dataSource.getRepository(OtpChallenge).findOneByOrFail({ target })).attempts;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    sms = await startSmsReceiver();
    app = await createOtpTestModule({
      SMTP_URL: smtp.url,
      MAIL_FROM,
      SMS_WEBHOOK_URL: sms.url,
    });
    otp = app.get(OtpService);
    dataSource = app.get(DataSource);
  });

  afterAll(async () => {
    await app.close();
    await smtp.close();
    await sms.close();
  });

  describe('email over SMTP', () => {
    it('should mail a six-digit code in a plain-text body that verifies once', async () => {
      const target = uniqueEmail();
      const before = Date.now();
      const { otpToken, expiresAt } = await otp.issueChallenge({
        clientId: CLIENT,
        channel: 'email',
        target,
        usage: 'reset_password',
        deliver: true,
      });
      const mail = await mailTo(target);
      expect(mail.from).toBe('no-reply@tessera.test');
      expect(mail.raw).toMatch(/^Subject: Your verification code\r$/im);
      expect(mail.raw).toMatch(/^Content-Type: text\/plain/im);
      expect(mail.text).toMatch(/^Your verification code is \d{6}\. It is valid for 5 minutes /);
      expect(expiresAt.getTime()).toBeGreaterThanOrEqual(before + 300_000);
      expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 300_000);
      const command: VerifyChallengeCommand = {
        otpToken,
        code: codeIn(mail.text),
        clientId: CLIENT,
        channel: 'email',
        target,
        usage: 'reset_password',
      };

      await expect(otp.verifyChallenge(command)).resolves.toBeUndefined();
      await expect(otp.verifyChallenge(command)).rejects.toMatchObject({
        code: IdentityErrorCode.OTP_TOKEN_INVALID,
      });
    });

    it('should store neither the token nor the code in plaintext', async () => {
      const command = await emailChallenge();
      const row = await dataSource.getRepository(OtpChallenge).findOneByOrFail({
        target: command.target,
      });

      expect(row.tokenDigest).toMatch(/^[0-9a-f]{64}$/);
      expect(row.codeDigest).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain(command.otpToken);
      expect(JSON.stringify(row)).not.toContain(command.code);
      expect(command.otpToken).toMatch(/^[\w-]{43}$/);
    });
  });

  describe('SMS over the HTTP webhook', () => {
    it('should POST {phone_number, message, code, usage} as JSON, with a code that verifies', async () => {
      const target = uniquePhone();
      const { otpToken } = await otp.issueChallenge({
        clientId: CLIENT,
        channel: 'sms',
        target,
        usage: 'sign_in',
        deliver: true,
      });
      const received = await smsTo(target);

      expect(received.path).toBe('/sms/send');
      expect(received.contentType).toBe('application/json');
      expect(Object.keys(received.body).sort()).toEqual([
        'code',
        'message',
        'phone_number',
        'usage',
      ]);
      expect(received.body).toMatchObject({ phone_number: target, usage: 'sign_in' });
      expect(received.body.code).toMatch(/^\d{6}$/);
      expect(received.body.message).toContain(
        `Your verification code is ${String(received.body.code)}.`,
      );
      await expect(
        otp.verifyChallenge({
          otpToken,
          code: String(received.body.code),
          clientId: CLIENT,
          channel: 'sms',
          target,
          usage: 'sign_in',
        }),
      ).resolves.toBeUndefined();
    });
  });

  describe('deliver: false', () => {
    it('should answer like a real send but send nothing, by email or SMS', async () => {
      const silentEmail = uniqueEmail();
      const silentPhone = uniquePhone();
      const silent = await otp.issueChallenge({
        clientId: CLIENT,
        channel: 'email',
        target: silentEmail,
        usage: 'reset_password',
        deliver: false,
      });
      await otp.issueChallenge({
        clientId: CLIENT,
        channel: 'sms',
        target: silentPhone,
        usage: 'reset_password',
        deliver: false,
      });
      // A delivered code sent afterwards has arrived, so anything sent before it would have too.
      await emailChallenge();
      await app.get(OtpDeliveryService).whenIdle();

      expect(silent.otpToken).toMatch(/^[\w-]{43}$/);
      expect(smtp.mails.filter((mail) => mail.to.includes(silentEmail))).toEqual([]);
      expect(sms.received.filter((item) => item.body.phone_number === silentPhone)).toEqual([]);
      await expect(
        otp.issueChallenge({
          clientId: CLIENT,
          channel: 'email',
          target: silentEmail,
          usage: 'reset_password',
          deliver: false,
        }),
      ).rejects.toMatchObject({ code: IdentityErrorCode.OTP_RATE_LIMITED });
    });
  });

  describe('verification', () => {
    it('should refuse an expired challenge even with the right code', async () => {
      const command = await emailChallenge();
      await dataSource
        .getRepository(OtpChallenge)
        .update({ target: command.target }, { expiresAt: new Date(Date.now() - 1000) });

      await expect(otp.verifyChallenge(command)).rejects.toMatchObject({
        code: IdentityErrorCode.OTP_TOKEN_INVALID,
      });
    });

    it('should refuse an unknown token', async () => {
      const command = await emailChallenge();

      await expect(
        otp.verifyChallenge({ ...command, otpToken: `${command.otpToken}x` }),
      ).rejects.toMatchObject({ code: IdentityErrorCode.OTP_TOKEN_INVALID });
    });

    it('should kill the challenge after five wrong codes, so even the right one then fails', async () => {
      const command = await emailChallenge();
      for (let i = 0; i < OTP_MAX_ATTEMPTS; i += 1) {
        await expect(
          otp.verifyChallenge({ ...command, code: wrong(command.code) }),
        ).rejects.toMatchObject({ code: IdentityErrorCode.OTP_CODE_INVALID });
      }

      await expect(otp.verifyChallenge(command)).rejects.toMatchObject({
        code: IdentityErrorCode.OTP_TOKEN_INVALID,
      });
      await expect(attemptsOf(command.target)).resolves.toBe(OTP_MAX_ATTEMPTS);
    });

    it('should bind the token to client, channel, target and usage, each refusal counting a try', async () => {
      const command = await emailChallenge('reset_password');
      const others: VerifyChallengeCommand[] = [
        { ...command, clientId: 'another-client' },
        { ...command, channel: 'sms' },
        { ...command, target: uniqueEmail() },
        { ...command, usage: 'sign_in' },
      ];
      for (const other of others) {
        await expect(otp.verifyChallenge(other)).rejects.toMatchObject({
          code: IdentityErrorCode.OTP_TOKEN_INVALID,
        });
      }

      await expect(attemptsOf(command.target)).resolves.toBe(4);
      await expect(otp.verifyChallenge(command)).resolves.toBeUndefined();
    });

    it('should count at most five of 40 parallel wrong guesses and leave the challenge dead', async () => {
      const command = await emailChallenge();
      const guesses = Array.from({ length: 40 }, (_, i) =>
        outcome(otp.verifyChallenge({ ...command, code: wrong(String(Number(command.code) + i)) })),
      );
      const results = await Promise.all(guesses);

      expect(results.filter((r) => r === IdentityErrorCode.OTP_CODE_INVALID)).toHaveLength(
        OTP_MAX_ATTEMPTS,
      );
      expect(results.filter((r) => r === IdentityErrorCode.OTP_TOKEN_INVALID)).toHaveLength(
        40 - OTP_MAX_ATTEMPTS,
      );
      await expect(attemptsOf(command.target)).resolves.toBe(OTP_MAX_ATTEMPTS);
      await expect(otp.verifyChallenge(command)).rejects.toMatchObject({
        code: IdentityErrorCode.OTP_TOKEN_INVALID,
      });
    });

    it('should let exactly one of two parallel correct submissions succeed', async () => {
      const command = await emailChallenge();
      const results = await Promise.all([
        outcome(otp.verifyChallenge(command)),
        outcome(otp.verifyChallenge(command)),
      ]);

      expect(results.sort()).toEqual([IdentityErrorCode.OTP_TOKEN_INVALID, 'ok'].sort());
    });
  });

  describe('verify now, consume later', () => {
    it('should keep the code usable after verifyChallenge with consume: false', async () => {
      const command = await emailChallenge();

      await expect(otp.verifyChallenge(command, { consume: false })).resolves.toBeUndefined();
      await expect(otp.verifyChallenge(command, { consume: false })).resolves.toBeUndefined();
      await expect(attemptsOf(command.target)).resolves.toBe(2);
      await expect(otp.consumeChallenge(command.otpToken)).resolves.toBeUndefined();
      await expect(otp.consumeChallenge(command.otpToken)).rejects.toMatchObject({
        code: IdentityErrorCode.OTP_TOKEN_INVALID,
      });
      await expect(otp.verifyChallenge(command)).rejects.toMatchObject({
        code: IdentityErrorCode.OTP_TOKEN_INVALID,
      });
    });

    it('should let exactly one of two parallel consumptions succeed', async () => {
      const command = await emailChallenge();
      await otp.verifyChallenge(command, { consume: false });
      const results = await Promise.all([
        outcome(otp.consumeChallenge(command.otpToken)),
        outcome(otp.consumeChallenge(command.otpToken)),
      ]);

      expect(results.sort()).toEqual([IdentityErrorCode.OTP_TOKEN_INVALID, 'ok'].sort());
    });

    it('should consume inside a caller transaction and roll back with it', async () => {
      const command = await emailChallenge();
      await otp.verifyChallenge(command, { consume: false });
      await expect(
        app.get(TransactionRunner).run(async (manager) => {
          await otp.consumeChallenge(command.otpToken, manager);
          throw new Error('the password write failed');
        }),
      ).rejects.toThrow('the password write failed');

      await expect(otp.verifyChallenge(command)).resolves.toBeUndefined();
    });
  });

  describe('throttle', () => {
    const issue = (target: string, usage: VerifyChallengeCommand['usage'], deliver = false) =>
      otp.issueChallenge({ clientId: CLIENT, channel: 'email', target, usage, deliver });
    /** Moves every send window back, as if `seconds` had passed. */
    const travel = (seconds: number) =>
      dataSource.query(
        `UPDATE otp_send_throttles SET window_started_at = ? WHERE window_started_at > ?`,
        [
          new Date(Date.now() - seconds * 1000).toISOString().replace('T', ' ').replace('Z', ''),
          new Date(Date.now() - seconds * 1000).toISOString().replace('T', ' ').replace('Z', ''),
        ],
      );

    it('should refuse a second send for the same target and usage within 60 s, with retryAfterSeconds', async () => {
      const target = uniqueEmail();
      await issue(target, 'reset_password');

      const refused = await issue(target, 'reset_password').then(
        () => undefined,
        (error: { code: string; details: { retryAfterSeconds: number } }) => error,
      );
      expect(refused?.code).toBe(IdentityErrorCode.OTP_RATE_LIMITED);
      expect(refused?.details.retryAfterSeconds).toBeGreaterThan(OTP_RESEND_INTERVAL_SECONDS - 5);
      expect(refused?.details.retryAfterSeconds).toBeLessThanOrEqual(OTP_RESEND_INTERVAL_SECONDS);
      await expect(issue(target, 'sign_in')).resolves.toHaveProperty('otpToken');
      await expect(issue(uniqueEmail(), 'reset_password')).resolves.toHaveProperty('otpToken');
    });

    it('should let exactly one of ten parallel sends for one target and usage through', async () => {
      const target = uniqueEmail();
      const results = await Promise.all(
        Array.from({ length: 10 }, () => outcome(issue(target, 'sign_in'))),
      );

      expect(results.filter((r) => r === 'ok')).toHaveLength(1);
      expect(results.filter((r) => r === IdentityErrorCode.OTP_RATE_LIMITED)).toHaveLength(9);
      await expect(dataSource.getRepository(OtpChallenge).countBy({ target })).resolves.toBe(1);
    });

    it('should allow a new send once the minute has passed, up to the hourly cap', async () => {
      const target = uniqueEmail();
      for (let i = 0; i < OTP_HOURLY_CAP; i += 1) {
        await expect(issue(target, 'sign_up')).resolves.toHaveProperty('otpToken');
        await travel(OTP_RESEND_INTERVAL_SECONDS + 1);
      }

      const refused = await issue(target, 'sign_in').then(
        () => undefined,
        (error: { code: string; details: { retryAfterSeconds: number } }) => error,
      );
      expect(refused?.code).toBe(IdentityErrorCode.OTP_RATE_LIMITED);
      expect(refused?.details.retryAfterSeconds).toBeGreaterThan(OTP_RESEND_INTERVAL_SECONDS);
      await travel(3600);
      await expect(issue(target, 'sign_in')).resolves.toHaveProperty('otpToken');
    });
  });

  it('should keep the throttle table free of targets', async () => {
    const target = uniqueEmail();
    await otp.issueChallenge({
      clientId: CLIENT,
      channel: 'email',
      target,
      usage: 'sign_in',
      deliver: false,
    });
    const rows = await dataSource.getRepository(OtpSendThrottle).find();

    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(target);
  });
});

describe(`${OtpService.name} with a stalled mail server`, () => {
  it('should answer at once, and give up on the silent server after the greeting timeout', async () => {
    const slow = await startSlowSmtpServer(60_000);
    const app = await createOtpTestModule({ SMTP_URL: slow.url, MAIL_FROM });
    try {
      const otp = app.get(OtpService);
      const started = Date.now();
      const { otpToken } = await otp.issueChallenge({
        clientId: CLIENT,
        channel: 'email',
        target: uniqueEmail(),
        usage: 'sign_in',
        deliver: true,
      });

      expect(Date.now() - started).toBeLessThan(1000);
      expect(otpToken).toMatch(/^[\w-]{43}$/);
      await waitFor(() => (slow.connections() > 0 ? true : undefined), 'the SMTP connection');
      await app.get(OtpDeliveryService).whenIdle();
      expect(Date.now() - started).toBeGreaterThanOrEqual(SMTP_GREETING_TIMEOUT_MS - 100);
      expect(Date.now() - started).toBeLessThan(SMTP_GREETING_TIMEOUT_MS + 2000);
    } finally {
      await slow.close();
      await app.close();
    }
  });
});

describe(`${OtpService.name} in production without SMTP_URL`, () => {
  it('should refuse email codes with INTERNAL for every target alike, and still send SMS', async () => {
    const sms = await startSmsReceiver();
    const app = await createOtpTestModule({
      NODE_ENV: 'production',
      ISSUER: 'https://id.example.com',
      SECRET_KEY: suiteSecretKey(),
      BCRYPT_COST: '10',
      SMS_WEBHOOK_URL: sms.url,
    });
    try {
      const otp = app.get(OtpService);
      const email = (deliver: boolean) =>
        outcome(
          otp.issueChallenge({
            clientId: CLIENT,
            channel: 'email',
            target: uniqueEmail(),
            usage: 'reset_password',
            deliver,
          }),
        );
      const phone = uniquePhone();

      await expect(email(true)).resolves.toBe(IdentityErrorCode.INTERNAL);
      await expect(email(false)).resolves.toBe(IdentityErrorCode.INTERNAL);
      await otp.issueChallenge({
        clientId: CLIENT,
        channel: 'sms',
        target: phone,
        usage: 'reset_password',
        deliver: true,
      });
      await expect(
        waitFor(() => sms.received.find((item) => item.body.phone_number === phone), 'the SMS'),
      ).resolves.toBeDefined();
    } finally {
      await app.close();
      await sms.close();
    }
  });
});
