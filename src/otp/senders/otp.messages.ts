import type { Language, Localized } from '../../common/i18n/message-table';
import type { OtpUsage } from '../otp-usage';

/** What a message about a code says, whatever the channel. */
export interface OtpWording {
  /** The email subject. */
  subject: (usage: OtpUsage) => string;
  /** The email body and the SMS message. */
  text: (message: { code: string; usage: OtpUsage; ttlSeconds: number }) => string;
}

/** What the code is for, in Chinese (`用于…`). */
const ZH_PURPOSE: Readonly<Record<OtpUsage, string>> = {
  sign_in: '登录',
  sign_up: '注册',
  reset_password: '重置密码',
  change_password: '修改密码',
  update_contact: '更换联系方式',
};

const enValidity = (seconds: number): string =>
  seconds % 60 === 0 ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}` : `${seconds} seconds`;

const zhValidity = (seconds: number): string =>
  seconds % 60 === 0 ? `${seconds / 60}分钟` : `${seconds}秒`;

/**
 * The wording of a code's message per language; a language without one fails to compile. The
 * English text is the same for every usage and byte-identical to what earlier versions sent, so
 * integrations that read these messages keep working; the Chinese one names what the code is for,
 * as Chinese SMS codes customarily do.
 */
export const OTP_MESSAGES: Localized<OtpWording> = {
  en: {
    subject: () => 'Your verification code',
    text: ({ code, ttlSeconds }) =>
      `Your verification code is ${code}. It is valid for ${enValidity(ttlSeconds)} ` +
      'and can be used once. If you did not ask for it, ignore this message.',
  },
  zh: {
    subject: (usage) => `${ZH_PURPOSE[usage]}验证码`,
    text: ({ code, usage, ttlSeconds }) =>
      `您的验证码为 ${code}，用于${ZH_PURPOSE[usage]}，${zhValidity(ttlSeconds)}内有效，仅可使用一次。` +
      '如非本人操作，请忽略本消息。',
  },
};

export const otpSubject = (message: { usage: OtpUsage; language: Language }): string =>
  OTP_MESSAGES[message.language].subject(message.usage);

export const otpText = (message: {
  code: string;
  usage: OtpUsage;
  ttlSeconds: number;
  language: Language;
}): string => OTP_MESSAGES[message.language].text(message);
