import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createTestApp, TEST_ADMIN } from '../utils/create-test-app';
import { uniqueCnMobile, uniqueName } from '../utils/unique';

describe('Admin API', () => {
  let app: NestExpressApplication;
  let adminToken: string;
  const http = () => request(app.getHttpServer());
  const admin = <T extends request.Test>(req: T): T => req.auth(adminToken, { type: 'bearer' });

  beforeAll(async () => {
    app = await createTestApp();
    adminToken = (
      await http()
        .post('/oauth2/token')
        .auth(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret)
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .expect(200)
    ).body.access_token;
  });
  afterAll(() => app.close());

  describe('users', () => {
    it('should create, read, update and delete a user without ever showing a hash', async () => {
      const username = uniqueName('Mixed.Case');
      const created = await admin(http().post('/admin/users'))
        .send({
          username,
          email: `${username.toUpperCase()}@Example.COM`,
          phone_number: '13800138000'.replace(/.{4}$/, String(Date.now()).slice(-4)),
          name: '张三',
          password: 'Correct-Horse-7',
        })
        .expect(201);
      expect(created.body).toEqual({
        user_id: expect.any(String),
        username,
        email: `${username.toLowerCase()}@example.com`,
        phone_number: expect.stringMatching(/^\+86138\d{8}$/),
        name: '张三',
        status: 'active',
        roles: [],
        has_password: true,
        must_change_password: false,
        password_changed_at: expect.any(String),
        password_expires_at: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      const id = created.body.user_id as string;
      await admin(http().get(`/admin/users/${id}`)).expect(200);
      const patched = await admin(http().patch(`/admin/users/${id}`))
        .send({ status: 'frozen', name: 'Li Si' })
        .expect(200);
      expect(patched.body).toEqual(expect.objectContaining({ status: 'frozen', name: 'Li Si' }));
      expect(JSON.stringify(patched.body)).not.toMatch(/\$2[aby]\$/);
      await admin(http().delete(`/admin/users/${id}`)).expect(204);
      expect((await admin(http().get(`/admin/users/${id}`)).expect(404)).body.error).toBe(
        'user_not_found',
      );
      await admin(http().delete(`/admin/users/${id}`)).expect(404);
    });

    it('should store national and international phone numbers in E.164', async () => {
      const national = uniqueCnMobile().replace('+86', '');
      const us = `${Math.floor(Math.random() * 9000) + 1000}`;
      const cn = await admin(http().post('/admin/users'))
        .send({ username: uniqueName('phone'), phone_number: national })
        .expect(201);
      expect(cn.body.phone_number).toBe(`+86${national}`);
      const intl = await admin(http().post('/admin/users')).send({
        username: uniqueName('phone'),
        phone_number: `+1 650-253-${us}`,
      });
      if (intl.status === 409) return; // same random US number taken earlier on a shared database
      expect(intl.status).toBe(201);
      expect(intl.body.phone_number).toBe(`+1650253${us}`);
    });

    it('should answer 409 conflict on a taken username (case-insensitive, NFKC), email or phone number', async () => {
      const username = uniqueName('taken');
      const phone = uniqueCnMobile();
      await admin(http().post('/admin/users'))
        .send({ username, email: `${username}@example.com`, phone_number: phone })
        .expect(201);
      const fullwidthUpper = username
        .toUpperCase()
        .replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
      for (const body of [
        { username: fullwidthUpper },
        { username: uniqueName('other'), email: `${username.toUpperCase()}@EXAMPLE.com` },
        { username: uniqueName('other'), phone_number: phone.replace('+86', '') },
      ]) {
        const res = await admin(http().post('/admin/users')).send(body).expect(409);
        expect(res.body.error).toBe('conflict');
      }
    });

    it('should page through users with an opaque cursor', async () => {
      const prefix = uniqueName('page');
      for (let i = 0; i < 3; i += 1)
        await admin(http().post('/admin/users'))
          .send({ username: `${prefix}-${i}` })
          .expect(201);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: request.Response = await admin(http().get('/admin/users'))
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200);
        seen.push(...page.body.users.map((u: { username: string }) => u.username));
        cursor = page.body.next_cursor;
      } while (cursor);
      expect(seen.filter((u) => u.startsWith(prefix))).toEqual([
        `${prefix}-0`,
        `${prefix}-1`,
        `${prefix}-2`,
      ]);
      expect(new Set(seen).size).toBe(seen.length);
      const byName = await admin(http().get('/admin/users'))
        .query({ username: `${prefix}-1` })
        .expect(200);
      expect(byName.body.users.map((u: { username: string }) => u.username)).toEqual([
        `${prefix}-1`,
      ]);
      await admin(http().get('/admin/users')).query({ cursor: 'not-a-cursor' }).expect(400);
    });

    it('should refuse bad input with a clear 400 (or 413) and change nothing', async () => {
      const count = async () =>
        Number((await app.get(DataSource).query('SELECT COUNT(*) AS n FROM users'))[0].n);
      const before = await count();
      const bad = [
        { username: 'x', phone_number: 'not a phone' },
        { username: 'x', unknown_field: true },
        { username: 42 },
        { email: 'no-username@example.com' },
        { username: 'has space' },
      ];
      for (const body of bad) {
        const res = await admin(http().post('/admin/users')).send(body).expect(400);
        expect(res.body.error).toBe('invalid_request');
      }
      const malformed = await admin(http().post('/admin/users'))
        .set('Content-Type', 'application/json')
        .send('{"username": ')
        .expect(400);
      expect(malformed.body.error).toBe('invalid_request');
      await admin(http().post('/admin/users'))
        .send({ username: 'x', name: 'a'.repeat(20_000) })
        .expect(413);
      await admin(http().patch('/admin/users/nope')).send({ status: 'deleted' }).expect(400);
      expect(await count()).toBe(before);
    });

    it('should refuse a bad form encoding on the token endpoint with invalid_request', async () => {
      const res = await http()
        .post('/oauth2/token')
        .auth(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('grant_type=%E0%A4%A')
        .expect(400);
      // body-parser decodes bad percent-escapes leniently; the garbage value is then refused.
      expect(['invalid_request', 'unsupported_grant_type']).toContain(res.body.error);
    });
  });

  describe('applications', () => {
    it('should show the secret once, store only its digest, and delete', async () => {
      const created = await admin(http().post('/admin/applications'))
        .send({ name: 'Portal', type: 'web' })
        .expect(201);
      expect(created.body).toEqual({
        client_id: expect.any(String),
        client_secret: expect.any(String),
        name: 'Portal',
        type: 'web',
        scopes: ['openid', 'profile'],
        id_token_signed_response_alg: 'RS256',
        created_at: expect.any(String),
      });
      const read = await admin(http().get(`/admin/applications/${created.body.client_id}`)).expect(
        200,
      );
      expect(read.body.client_secret).toBeUndefined();
      const rows = await app
        .get(DataSource)
        .query('SELECT secret_digest FROM applications WHERE client_id = ?', [
          created.body.client_id,
        ]);
      expect(rows[0].secret_digest).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].secret_digest).not.toContain(created.body.client_secret);
      await admin(http().delete(`/admin/applications/${created.body.client_id}`)).expect(204);
      await admin(http().get(`/admin/applications/${created.body.client_id}`)).expect(404);
    });

    it('should give public clients no secret', async () => {
      const spa = await admin(http().post('/admin/applications'))
        .send({ name: 'SPA', type: 'spa' })
        .expect(201);
      expect(spa.body.client_secret).toBeUndefined();
      await admin(http().post('/admin/applications'))
        .send({ name: 'Bad', type: 'desktop' })
        .expect(400);
    });
  });
});

describe('Bootstrap administrator', () => {
  it('should be idempotent across replicas and follow a changed secret', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'tessera-bootstrap-'));
    const url = process.env.DATABASE_URL?.startsWith('mysql')
      ? process.env.DATABASE_URL
      : `sqlite:${join(dir, 'db.sqlite')}`;
    const [a, b] = await Promise.all([
      createTestApp({ DATABASE_URL: url }),
      createTestApp({ DATABASE_URL: url }),
    ]);
    const rotated = 'rotated-admin-secret-0123456789';
    const c = await createTestApp({ DATABASE_URL: url, ADMIN_CLIENT_SECRET: rotated });
    try {
      const rows = await c
        .get(DataSource)
        .query('SELECT COUNT(*) AS n FROM applications WHERE client_id = ?', [TEST_ADMIN.clientId]);
      expect(Number(rows[0].n)).toBe(1);
      await request(c.getHttpServer())
        .post('/oauth2/token')
        .auth(TEST_ADMIN.clientId, rotated)
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .expect(200);
      await request(c.getHttpServer())
        .post('/oauth2/token')
        .auth(TEST_ADMIN.clientId, TEST_ADMIN.clientSecret)
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .expect(401);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
