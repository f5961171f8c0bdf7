import { Logger } from '@nestjs/common';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import { AppConfig } from '../config/app.config';
import { OtpDeliveryService } from './otp-delivery.service';
import { DevelopmentOtpSender } from './senders/development-otp.sender';
import { OTP_USAGES } from './otp-usage';
import { otpSubject, otpText } from './senders/otp.messages';

const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof IdentityError ? error.code : String(error);
  }
};

describe(OtpDeliveryService.name, () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('should refuse a channel without its setting in production, and only that channel', () => {
    const delivery = new OtpDeliveryService(
      AppConfig.fromEnvironment({
        NODE_ENV: 'production',
        ISSUER: 'https://id.example.com',
        SECRET_KEY: 'c4f1a9e07b2d5836e1f0a4c9d7b3e6528a1f0c4e9d2b7a6f3e8c5d1b0a9f7e2c',
        BCRYPT_COST: '12',
        SMS_WEBHOOK_URL: 'http://127.0.0.1:9/sms',
      }),
    );

    expect(codeOf(() => delivery.assertAvailable('email'))).toBe(IdentityErrorCode.INTERNAL);
    expect(codeOf(() => delivery.assertAvailable('sms'))).toBeUndefined();
  });

  it('should deliver to the log outside production when nothing is configured', () => {
    const delivery = new OtpDeliveryService(AppConfig.fromEnvironment({ NODE_ENV: 'development' }));

    expect(codeOf(() => delivery.assertAvailable('email'))).toBeUndefined();
    expect(codeOf(() => delivery.assertAvailable('sms'))).toBeUndefined();
  });
});

describe(DevelopmentOtpSender.name, () => {
  it('should refuse to exist in production', () => {
    expect(() => new DevelopmentOtpSender('email', true)).toThrow(/production/);
  });

  it('should write one log line marked as development delivery', async () => {
    const lines: unknown[][] = [];
    Logger.overrideLogger({
      log: () => undefined,
      error: () => undefined,
      warn: (...args: unknown[]) => lines.push(args),
    });
    const sender = new DevelopmentOtpSender('sms', false);

    await sender.send({
      target: '+8613800138000',
      code: '012345',
      usage: 'sign_in',
      ttlSeconds: 300,
      language: 'en',
    });

    expect(lines).toHaveLength(1);
    expect(lines[0][0]).toMatchObject({
      developmentDelivery: true,
      code: '012345',
      channel: 'sms',
    });
    expect(String(lines[0][1])).toMatch(/^DEVELOPMENT DELIVERY/);
  });
});

describe('otpText', () => {
  const message = { target: 'a@b.c', code: '000042', usage: 'sign_in' as const };

  it.each([
    [300, 'en', 'valid for 5 minutes'],
    [60, 'en', 'valid for 1 minute '],
    [90, 'en', 'valid for 90 seconds'],
    [300, 'zh', '5分钟内有效'],
    [90, 'zh', '90秒内有效'],
  ] as const)('should state a validity of %i s in %s as "%s"', (ttlSeconds, language, expected) => {
    expect(otpText({ ...message, ttlSeconds, language })).toContain(expected);
  });

  it('should keep the English text of earlier versions, byte for byte, for every usage', () => {
    for (const usage of OTP_USAGES) {
      expect(otpText({ ...message, usage, ttlSeconds: 300, language: 'en' })).toBe(
        'Your verification code is 000042. It is valid for 5 minutes and can be used once. ' +
          'If you did not ask for it, ignore this message.',
      );
      expect(otpSubject({ usage, language: 'en' })).toBe('Your verification code');
    }
  });

  it.each([
    ['sign_in', '登录'],
    ['sign_up', '注册'],
    ['reset_password', '重置密码'],
    ['change_password', '修改密码'],
    ['update_contact', '更换联系方式'],
  ] as const)('should name usage %s in Chinese as %s', (usage, purpose) => {
    expect(otpText({ ...message, usage, ttlSeconds: 300, language: 'zh' })).toBe(
      `您的验证码为 000042，用于${purpose}，5分钟内有效，仅可使用一次。如非本人操作，请忽略本消息。`,
    );
    expect(otpSubject({ usage, language: 'zh' })).toBe(`${purpose}验证码`);
  });
});
