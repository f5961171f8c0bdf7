import MailComposer from 'nodemailer/lib/mail-composer';
import { otpSubject, otpText } from '../../src/otp/senders/otp.messages';
import { codeInMail } from '../../scripts/dev-otp-inbox';

/** The raw message nodemailer sends for a code, as the development inbox receives it over SMTP. */
async function rawOtpMail(code: string, language: 'en' | 'zh'): Promise<string> {
  const message = { code, usage: 'reset_password' as const, ttlSeconds: 300, language };
  const mail = new MailComposer({
    from: 'Tessera <no-reply@localhost>',
    to: 'alice@example.com',
    subject: otpSubject(message),
    text: otpText(message),
  });
  const raw = await mail.compile().build();
  return raw.toString('utf8');
}

describe('dev-otp-inbox: the code in a mail', () => {
  it.each(['en', 'zh'] as const)(
    'finds the code in the %s message whatever transfer encoding nodemailer chose',
    async (language) => {
      const raw = await rawOtpMail('042917', language);
      expect(codeInMail(raw)).toBe('042917');
    },
  );

  it('finds no code in a mail without six digits in its body', () => {
    expect(
      codeInMail('Subject: hello\r\nDate: 20261125\r\n\r\nno code, only 12345 and 1234567\r\n'),
    ).toBeUndefined();
  });
});
