import { randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../src/common/errors/identity-error';
import { TransactionRunner } from '../../src/database/transaction-runner';
import { OtpChallenge } from '../../src/otp/otp-challenge.entity';
import type { OtpUsage } from '../../src/otp/otp-usage';
import {
  OTP_MAX_ATTEMPTS,
  OtpService,
  type VerifyChallengeByTargetCommand,
} from '../../src/otp/otp.service';
import { createOtpTestModule } from './create-otp-test-module';
import { startSmsReceiver, startSmtpReceiver, waitFor } from './otp-delivery-peers';

const CLIENT = 'otp-by-target-client';

const uniqueEmail = (): string => `by-target-${randomUUID().slice(0, 12)}@example.test`;
const uniquePhone = (): string =>
  `+86137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const codeIn = (text: string): string => {
  const match = /(?<!\d)(\d{6})(?!\d)/.exec(text);
  if (!match?.[1]) throw new Error(`no six-digit code in: ${text}`);
  return match[1];
};
const wrong = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
/** 'ok', or the code of the IdentityError; anything else fails the test. */
const outcome = (promise: Promise<unknown>): Promise<'ok' | IdentityErrorCode> =>
  promise.then(
    () => 'ok' as const,
    (error: unknown) => {
      if (error instanceof IdentityError) return error.code;
      throw error;
    },
  );

describe(`${OtpService.name} by target`, () => {
  let app: TestingModule;
  let otp: OtpService;
  let dataSource: DataSource;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let sms: Awaited<ReturnType<typeof startSmsReceiver>>;

  /** The `nth` mail (1-based) that reached `target`. */
  const mailTo = (target: string, nth = 1) =>
    waitFor(
      () => smtp.mails.filter((mail) => mail.to.includes(target))[nth - 1],
      `mail ${nth} to ${target}`,
    );
  const challenges = () => dataSource.getRepository(OtpChallenge);
  const attemptsOf = async (target: string): Promise<number[]> =>
    (await challenges().find({ where: { target }, order: { createdAt: 'ASC' } })).map(
      (row) => row.attempts,
    );

  /** Sends a code by email and reads it from the mail; returns what verifies it by target. */
  async function emailCode(
    usage: OtpUsage = 'reset_password',
    target = uniqueEmail(),
    nth = 1,
  ): Promise<VerifyChallengeByTargetCommand & { otpToken: string }> {
    const { otpToken } = await otp.issueChallenge({
      clientId: CLIENT,
      channel: 'email',
      target,
      usage,
      deliver: true,
    });
    const code = codeIn((await mailTo(target, nth)).text);
    return { clientId: CLIENT, channel: 'email', target, usage, code, otpToken };
  }

  /** Makes every challenge of `target` look `seconds` older and lets the next send through. */
  async function age(target: string, seconds: number): Promise<void> {
    const rows = await challenges().findBy({ target });
    for (const row of rows)
      await challenges().update(
        { tokenDigest: row.tokenDigest },
        { createdAt: new Date(row.createdAt.getTime() - seconds * 1000) },
      );
    // The throttle keys are digests, so move back every window that opened just now.
    const past = new Date(Date.now() - seconds * 1000)
      .toISOString()
      .replace('T', ' ')
      .replace('Z', '');
    await dataSource.query(
      'UPDATE otp_send_throttles SET window_started_at = ? WHERE window_started_at > ?',
      [past, past],
    );
  }

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    sms = await startSmsReceiver();
    app = await createOtpTestModule({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Tessera <no-reply@tessera.test>',
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

  it('should verify a code by its target alone, once', async () => {
    const { clientId, channel, target, usage, code } = await emailCode();
    const command = { clientId, channel, target, usage, code };

    await expect(otp.verifyChallengeByTarget(command)).resolves.toMatch(/^[0-9a-f]{64}$/);
    await expect(otp.verifyChallengeByTarget(command)).rejects.toMatchObject({
      code: IdentityErrorCode.OTP_TOKEN_INVALID,
    });
  });

  it('should check the newest challenge, not fall back to an older one, and leave tokens alone', async () => {
    const target = uniqueEmail();
    const older = await emailCode('sign_in', target);
    await age(target, 90);
    const newer = await emailCode('sign_in', target, 2);
    expect(newer.code).not.toBe(older.code);

    // The older code is checked against the newest challenge: wrong, and counted there.
    await expect(otp.verifyChallengeByTarget(older)).rejects.toMatchObject({
      code: IdentityErrorCode.OTP_CODE_INVALID,
    });
    await expect(attemptsOf(target)).resolves.toEqual([0, 1]);
    await expect(otp.verifyChallengeByTarget(newer)).resolves.toEqual(expect.any(String));
    // Once the newest is used, the older one is not tried in its place…
    await expect(otp.verifyChallengeByTarget(older)).rejects.toMatchObject({
      code: IdentityErrorCode.OTP_TOKEN_INVALID,
    });
    await expect(attemptsOf(target)).resolves.toEqual([0, 2]);
    // …while a caller holding the older otp_token (Tencent) still redeems its own code.
    await expect(otp.verifyChallenge(older)).resolves.toBeUndefined();
  });

  it('should count a wrong code as a try and refuse the sixth try even with the right code', async () => {
    const command = await emailCode();
    for (let i = 1; i <= OTP_MAX_ATTEMPTS; i += 1) {
      await expect(
        otp.verifyChallengeByTarget({ ...command, code: wrong(command.code) }),
      ).rejects.toMatchObject({ code: IdentityErrorCode.OTP_CODE_INVALID });
      await expect(attemptsOf(command.target)).resolves.toEqual([i]);
    }

    await expect(otp.verifyChallengeByTarget(command)).rejects.toMatchObject({
      code: IdentityErrorCode.OTP_TOKEN_INVALID,
    });
    await expect(attemptsOf(command.target)).resolves.toEqual([OTP_MAX_ATTEMPTS]);
  });

  it('should not fall back to an older challenge when the newest is dead', async () => {
    const target = uniqueEmail();
    const older = await emailCode('reset_password', target);
    await age(target, 90);
    const newer = await emailCode('reset_password', target, 2);
    for (let i = 0; i < OTP_MAX_ATTEMPTS; i += 1)
      await outcome(otp.verifyChallengeByTarget({ ...newer, code: wrong(newer.code) }));

    await expect(otp.verifyChallengeByTarget(older)).rejects.toMatchObject({
      code: IdentityErrorCode.OTP_TOKEN_INVALID,
    });
    await expect(attemptsOf(target)).resolves.toEqual([0, OTP_MAX_ATTEMPTS]);
  });

  it('should not find a challenge of another client, channel, target or usage', async () => {
    const command = await emailCode('reset_password');
    const others: VerifyChallengeByTargetCommand[] = [
      { ...command, clientId: 'another-client' },
      { ...command, channel: 'sms' },
      { ...command, target: uniqueEmail() },
      { ...command, usage: 'change_password' },
      { ...command, usage: 'sign_in' },
    ];
    for (const other of others) {
      await expect(otp.verifyChallengeByTarget(other)).rejects.toMatchObject({
        code: IdentityErrorCode.OTP_TOKEN_INVALID,
      });
    }

    await expect(attemptsOf(command.target)).resolves.toEqual([0]);
    await expect(otp.verifyChallengeByTarget(command)).resolves.toEqual(expect.any(String));
  });

  it('should refuse an expired challenge even with the right code', async () => {
    const command = await emailCode();
    await challenges().update(
      { target: command.target },
      { expiresAt: new Date(Date.now() - 1000) },
    );

    await expect(otp.verifyChallengeByTarget(command)).rejects.toMatchObject({
      code: IdentityErrorCode.OTP_TOKEN_INVALID,
    });
  });

  it('should count at most five of 40 parallel wrong guesses', async () => {
    const command = await emailCode();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        outcome(
          otp.verifyChallengeByTarget({
            ...command,
            code: wrong(String(Number(command.code) + i)),
          }),
        ),
      ),
    );

    expect(results.filter((r) => r === IdentityErrorCode.OTP_CODE_INVALID)).toHaveLength(
      OTP_MAX_ATTEMPTS,
    );
    expect(results.filter((r) => r === IdentityErrorCode.OTP_TOKEN_INVALID)).toHaveLength(
      40 - OTP_MAX_ATTEMPTS,
    );
    await expect(attemptsOf(command.target)).resolves.toEqual([OTP_MAX_ATTEMPTS]);
  });

  it('should let exactly one of two parallel correct submissions succeed', async () => {
    const command = await emailCode();
    const results = await Promise.all([
      outcome(otp.verifyChallengeByTarget(command)),
      outcome(otp.verifyChallengeByTarget(command)),
    ]);

    expect(results.sort()).toEqual([IdentityErrorCode.OTP_TOKEN_INVALID, 'ok'].sort());
  });

  describe('verify now, consume later', () => {
    it('should keep the code usable until consumeChallengeById, which succeeds once', async () => {
      const command = await emailCode();
      const id = await otp.verifyChallengeByTarget(command, { consume: false });

      await expect(otp.verifyChallengeByTarget(command, { consume: false })).resolves.toBe(id);
      await expect(otp.consumeChallengeById(id)).resolves.toBeUndefined();
      await expect(otp.consumeChallengeById(id)).rejects.toMatchObject({
        code: IdentityErrorCode.OTP_TOKEN_INVALID,
      });
      await expect(otp.verifyChallengeByTarget(command)).rejects.toMatchObject({
        code: IdentityErrorCode.OTP_TOKEN_INVALID,
      });
      await expect(attemptsOf(command.target)).resolves.toEqual([2]);
    });

    it('should consume inside a caller transaction and roll back with it', async () => {
      const command = await emailCode();
      const id = await otp.verifyChallengeByTarget(command, { consume: false });
      await expect(
        app.get(TransactionRunner).run(async (manager) => {
          await otp.consumeChallengeById(id, manager);
          throw new Error('the password write failed');
        }),
      ).rejects.toThrow('the password write failed');

      await expect(otp.verifyChallengeByTarget(command)).resolves.toBe(id);
    });
  });

  describe('language', () => {
    it('should mail a Chinese subject and text over SMTP, with a code that verifies', async () => {
      const target = uniqueEmail();
      await otp.issueChallenge({
        clientId: CLIENT,
        channel: 'email',
        target,
        usage: 'reset_password',
        deliver: true,
        language: 'zh',
      });
      const mail = await mailTo(target);

      expect(mail.subject).toBe('重置密码验证码');
      expect(mail.raw).toMatch(/^Content-Type: text\/plain; charset=utf-8/im);
      expect(mail.text).toMatch(
        /^您的验证码为 \d{6}，用于重置密码，5分钟内有效，仅可使用一次。如非本人操作，请忽略本消息。$/,
      );
      await expect(
        otp.verifyChallengeByTarget({
          clientId: CLIENT,
          channel: 'email',
          target,
          usage: 'reset_password',
          code: codeIn(mail.text),
        }),
      ).resolves.toEqual(expect.any(String));
    });

    it('should post a Chinese SMS to the webhook, with the domain usage', async () => {
      const target = uniquePhone();
      await otp.issueChallenge({
        clientId: CLIENT,
        channel: 'sms',
        target,
        usage: 'change_password',
        deliver: true,
        language: 'zh',
      });
      const received = await waitFor(
        () => sms.received.find((item) => item.body.phone_number === target),
        `SMS to ${target}`,
      );

      expect(received.contentType).toMatch(/^application\/json/);
      expect(received.body).toMatchObject({ phone_number: target, usage: 'change_password' });
      const message = String(received.body.message);
      expect(message).toMatch(/^您的验证码为 \d{6}，用于修改密码，5分钟内有效/);
      expect(received.body.code).toBe(codeIn(message));
      await expect(
        otp.verifyChallengeByTarget({
          clientId: CLIENT,
          channel: 'sms',
          target,
          usage: 'change_password',
          code: codeIn(message),
        }),
      ).resolves.toEqual(expect.any(String));
    });

    it('should word the message in English when no language is given', async () => {
      const target = uniqueEmail();
      await otp.issueChallenge({
        clientId: CLIENT,
        channel: 'email',
        target,
        usage: 'update_contact',
        deliver: true,
      });
      const mail = await mailTo(target);

      expect(mail.subject).toBe('Your verification code');
      expect(mail.text).toMatch(/^Your verification code is \d{6}\. It is valid for 5 minutes /);
    });
  });
});
