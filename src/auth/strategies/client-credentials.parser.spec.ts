import { formUrlDecode, parseBasicClientCredentials } from './client-credentials.parser';

const basic = (raw: string) => `Basic ${Buffer.from(raw, 'utf8').toString('base64')}`;
const formEncode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');

describe('parseBasicClientCredentials', () => {
  it.each([
    ['plain', 'client', 'secret'],
    ['colon in secret', 'client', 'se:cr:et'],
    ['plus in secret', 'client', 'a+b'],
    ['percent in secret', 'client', '100%sure'],
    ['space in secret', 'client', 'two words'],
    ['non-ASCII secret', 'client', 'pässwörd-密码'],
    ['colon in client id', 'my:client', 'secret'],
  ])(
    'should read %s when both halves are form-urlencoded (RFC 6749 §2.3.1)',
    (_name, id, secret) => {
      const header = basic(`${formEncode(id)}:${formEncode(secret)}`);
      expect(parseBasicClientCredentials(header)).toEqual({
        clientId: id,
        clientSecret: secret,
        source: 'basic',
      });
    },
  );

  it('should decode + as a space, as form encoding does', () => {
    expect(formUrlDecode('a+b%2Bc')).toBe('a b+c');
  });

  it('should ignore other schemes and reject malformed Basic credentials', () => {
    expect(parseBasicClientCredentials(undefined)).toBeNull();
    expect(parseBasicClientCredentials('Bearer abc')).toBeNull();
    expect(() => parseBasicClientCredentials(basic('no-colon'))).toThrow();
    expect(() => parseBasicClientCredentials(basic('bad%zz:secret'))).toThrow();
  });
});
