import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { assertUsernameAcceptable } from '../../src/users/users.service';
import { adminToken, signedInUser } from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';
import { uniqueName } from '../utils/unique';

/** Issue 10 finding 7: identifiers that look alike or hide text, and loose bearer syntax. */
describe('Hostile identifiers and credentials', () => {
  let app: NestExpressApplication;
  let admin: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    admin = await adminToken(app);
  });
  afterAll(() => app.close());

  it.each([
    ['NUL', '\u0000'],
    ['right-to-left override U+202E', '\u202E'],
    ['zero-width space', '\u200B'],
    ['zero-width joiner', '\u200D'],
    ['soft hyphen', '\u00AD'],
    ['word joiner', '\u2060'],
    ['Hangul filler', '\u3164'],
    ['private use', '\uE000'],
    ['ideographic space', '\u3000'],
  ])(
    'should refuse a username containing a %s, in every API that creates users',
    async (_name, char) => {
      const username = `${uniqueName('ab')}${char}cd`;
      expect(() => assertUsernameAcceptable(username)).toThrow();
      const native = await http()
        .post('/admin/users')
        .auth(admin, { type: 'bearer' })
        .send({ username, password: 'Hostile-Passw0rd-1' })
        .expect(400);
      expect(native.body.error).toBe('invalid_request');
      const tenant = await http()
        .post('/api/v2/tenant/users')
        .auth(admin, { type: 'bearer' })
        .send({ user_name: username, password: 'Hostile-Passw0rd-1' })
        .expect(400);
      expect(tenant.body.error_code).toBe('IDAAS.TENANT.COMMON.0001');
    },
  );

  it('should still accept Chinese and full-width usernames (NFKC folds the latter)', async () => {
    expect(() => assertUsernameAcceptable('张三丰')).not.toThrow();
    expect(() => assertUsernameAcceptable('ａｌｉｃｅ')).not.toThrow();
    await http()
      .post('/admin/users')
      .auth(admin, { type: 'bearer' })
      .send({ username: `${uniqueName('用户')}` })
      .expect(201);
  });

  it('should refuse a bearer credential with anything after the token (RFC 6750 §2.1)', async () => {
    const { tokens } = await signedInUser(app, { scope: 'openid' });
    const good = `Bearer ${tokens.access_token}`;
    await http().get('/oauth2/userinfo').set('Authorization', good).expect(200);
    for (const header of [
      `${good} junk`,
      `${good},x`,
      `Bearer  ${tokens.access_token} `.trimEnd() + '\t!',
    ]) {
      const native = await http().get('/oauth2/userinfo').set('Authorization', header).expect(401);
      expect(native.body.error).toBe('invalid_token');
    }
    const tencent = await http()
      .post('/change_user_password')
      .set('Authorization', `${good} junk`)
      .send({ old_password: 'x', new_password: 'y' })
      .expect(401);
    expect(tencent.body.error).toBe('invalid_token');
  });
});
