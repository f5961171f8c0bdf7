import { Logger } from '@nestjs/common';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import { AppConfig } from '../config/app.config';
import { OtpDeliveryService } from './otp-delivery.service';
import { DevelopmentOtpSender } from './senders/development-otp.sender';
import { otpText } from './senders/otp-sender';

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
      usage: 'login',
      ttlSeconds: 300,
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
  it.each([
    [300, 'valid for 5 minutes'],
    [60, 'valid for 1 minute '],
    [90, 'valid for 90 seconds'],
  ])('should state a validity of %i s as "%s"', (ttlSeconds, expected) => {
    expect(otpText({ target: 'a@b.c', code: '000042', usage: 'login', ttlSeconds })).toContain(
      expected,
    );
  });

  it('should contain the zero-padded code', () => {
    expect(otpText({ target: 'a@b.c', code: '000042', usage: 'login', ttlSeconds: 300 })).toMatch(
      /^Your verification code is 000042\. /,
    );
  });
});
