import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { parseBasicClientCredentials } from '../../src/auth/strategies/client-credentials.parser';
import { basicAuth, createApplication, formEncode } from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';
import { uniqueName } from '../utils/unique';
import { wire } from './support/wire';

const JSON_UTF8 = 'application/json; charset=utf-8';
const INVALID_CLIENT = {
  status: 401,
  body: { error: 'invalid_client', error_description: expect.any(String) as string },
  type: JSON_UTF8,
  challenge: 'Basic realm="tessera", charset="UTF-8"',
};

/** Every byte percent-encoded, which a form decoder must read like the shortest encoding. */
const percentEveryByte = (value: string): string =>
  [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
const base64 = (value: string | Buffer): string => Buffer.from(value).toString('base64');

/**
 * RFC 6749 §2.3.1 client authentication with identifiers and secrets that only survive when both
 * halves of the Basic header are form-encoded and decoded: `:` `+` `%` space and non-ASCII. The
 * bootstrap client takes its id and secret from the environment, so both can be chosen here.
 */
describe('Client authentication (RFC 6749 §2.3.1)', () => {
  let app: NestExpressApplication;
  const id = `ops:id+1%41 ü-${uniqueName('c')}`;
  const secret = 's3:cr+t%2F ü…漢字 -0123456789';
  const http = () => request(app.getHttpServer());
  const token = (authorization: string | undefined, form: Record<string, string> = {}) => {
    const req = http().post('/oauth2/token').type('form');
    if (authorization !== undefined) req.set('Authorization', authorization);
    return req.send({ grant_type: 'client_credentials', scope: 'admin', ...form });
  };
  const granted = (res: request.Response) => ({
    status: res.status,
    scope: (res.body as { scope?: string }).scope,
  });
  const GRANTED = { status: 200, scope: 'admin' };

  beforeAll(async () => {
    app = await createTestApp({ ADMIN_CLIENT_ID: id, ADMIN_CLIENT_SECRET: secret });
  });
  afterAll(() => app.close());

  describe('the Basic header', () => {
    it('should accept both halves form-encoded (space as +)', async () => {
      await expect(token(basicAuth(id, secret)).then(granted)).resolves.toEqual(GRANTED);
    });

    it('should accept %20 for a space, lower-case escapes and every byte percent-encoded', async () => {
      for (const encode of [
        encodeURIComponent,
        (v: string) => encodeURIComponent(v).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
        percentEveryByte,
      ]) {
        const header = `Basic ${base64(`${encode(id)}:${encode(secret)}`)}`;
        await expect(token(header).then(granted)).resolves.toEqual(GRANTED);
      }
    });

    it('should refuse the raw id and secret, a double encoding and a secret with a trailing space', async () => {
      for (const header of [
        `Basic ${base64(`${id}:${secret}`)}`,
        `Basic ${base64(`${formEncode(id)}:${secret}`)}`,
        basicAuth(formEncode(id), formEncode(secret)),
        basicAuth(id, `${secret} `),
        basicAuth(id, secret.normalize('NFD')),
        basicAuth(id.toUpperCase(), secret),
      ]) {
        expect(wire(await token(header))).toEqual(INVALID_CLIENT);
      }
    });

    it.each([
      ['not base64', 'Basic !!!not-base64'],
      ['empty credentials', 'Basic '],
      ['no colon', `Basic ${base64('just-an-id')}`],
      ['an empty id', `Basic ${base64(`:${formEncode(secret)}`)}`],
      ['a lone % in the secret', `Basic ${base64(`${formEncode(id)}:%`)}`],
      ['a truncated escape in the id', `Basic ${base64('%E0%A4%A:secret')}`],
      ['an escape that is not UTF-8', `Basic ${base64('%FF%FE:secret')}`],
      ['raw bytes that are not UTF-8', `Basic ${base64(Buffer.from([0xff, 0x3a, 0xfe]))}`],
      [
        'base64 with embedded whitespace',
        `Basic ${base64(`${formEncode(id)}:x`).replace(/(.{4})/, '$1 ')}`,
      ],
      ['a second Basic token', `${basicAuth(id, secret)} ${base64('x:y')}`],
      ['an 8 KiB credential', `Basic ${base64(`${'a'.repeat(6000)}:b`)}`],
    ])('should answer invalid_client for a Basic header with %s', async (_case, header) => {
      const res = await token(header);
      expect(res.status).toBeLessThan(500);
      expect([400, 401]).toContain(res.status);
      expect(res.body.error).toMatch(/^invalid_(client|request)$/);
      expect(res.body.access_token).toBeUndefined();
    });
  });

  describe('the request body', () => {
    it('should accept client_id and client_secret form-encoded in the body', async () => {
      await expect(
        token(undefined, { client_id: id, client_secret: secret }).then(granted),
      ).resolves.toEqual(GRANTED);
    });

    it('should accept them in a JSON body, raw', async () => {
      const res = await http().post('/oauth2/token').send({
        grant_type: 'client_credentials',
        scope: 'admin',
        client_id: id,
        client_secret: secret,
      });
      expect(granted(res)).toEqual(GRANTED);
    });

    it('should refuse a secret whose + a form decoder reads as a space', async () => {
      const res = await http()
        .post('/oauth2/token')
        .type('form')
        .send(
          `grant_type=client_credentials&client_id=${formEncode(id)}&client_secret=${encodeURIComponent(secret).replace(/%2B/g, '+')}`,
        );
      expect(wire(res)).toEqual(INVALID_CLIENT);
    });
  });

  describe('two methods at once (RFC 6749 §2.3: MUST NOT use more than one)', () => {
    it.each<[string, Record<string, string>]>([
      ['Basic and client_secret in the body', { client_secret: 'whatever' }],
      ['Basic and the same id and secret in the body', { client_id: id, client_secret: secret }],
      [
        'Basic and another client in the body',
        { client_id: 'test-admin', client_secret: 'x'.repeat(20) },
      ],
    ])('should answer invalid_request for %s, granting nothing', async (_case, body) => {
      const res = await token(basicAuth(id, secret), body);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
      expect(res.body.access_token).toBeUndefined();
    });

    it('should refuse a wrong Basic secret even when the body carries the right one', async () => {
      const res = await token(basicAuth(id, 'wrong-secret-0123456789'), {
        client_id: id,
        client_secret: secret,
      });
      expect([400, 401]).toContain(res.status);
      expect(res.body.access_token).toBeUndefined();
    });
  });

  describe('in the other dialects', () => {
    it('should take the same encoded credentials on the IDaaS tenant token endpoint (query string)', async () => {
      const res = await http()
        .post('/api/v2/tenant/token')
        .query({ grant_type: 'client_credentials', client_id: id, client_secret: secret });
      expect(res.status).toBe(200);
      expect(res.body.access_token).toEqual(expect.any(String));
      // A literal `+` in a query string is a space (form encoding), so this secret is wrong.
      const plus = await http().post(
        `/api/v2/tenant/token?grant_type=client_credentials&client_id=${encodeURIComponent(id)}&client_secret=${encodeURIComponent(secret).replace(/%2B/g, '+')}`,
      );
      expect(wire(plus)).toEqual({
        status: 400,
        body: { error: 'invalid_token', error_description: 'Invalid access' },
        type: JSON_UTF8,
      });
    });

    it('should read the Tencent reset endpoint’s Basic header the same way', async () => {
      const admin = (await token(basicAuth(id, secret)).expect(200)).body.access_token as string;
      const web = await createApplication(app, admin);
      const reset = (authorization: string) =>
        http().post('/reset_user_password').set('Authorization', authorization).send({});
      // Past client authentication, the empty body is what is wrong.
      const right = await reset(
        `Basic ${base64(`${percentEveryByte(web.client_id)}:${percentEveryByte(web.client_secret!)}`)}`,
      );
      expect(right.status).toBe(400);
      expect(right.body.error).not.toBe('invalid_client');
      const wrong = await reset(basicAuth(web.client_id, `${web.client_secret!}x`));
      expect(wire(wrong)).toEqual({
        status: 401,
        body: { error: 'invalid_client' },
        type: 'application/json;charset=UTF-8',
        challenge: 'Basic realm="tessera", charset="UTF-8"',
      });
    });

    it('should parse exactly what the header says (unit)', () => {
      expect(
        parseBasicClientCredentials(`Basic ${base64(`${formEncode(id)}:${formEncode(secret)}`)}`),
      ).toEqual({ clientId: id, clientSecret: secret, source: 'basic' });
    });
  });
});
