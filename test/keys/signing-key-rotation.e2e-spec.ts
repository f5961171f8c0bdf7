import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { SigningKey } from '../../src/keys/signing-key.entity';
import {
  SIGNING_KEY_REFRESH_INTERVAL_MS,
  SigningKeyService,
} from '../../src/keys/signing-key.service';
import {
  adminToken,
  createApplication,
  createUser,
  passwordLogin,
  type TestApplication,
  type TestUser,
} from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';

const kidOf = (token: string): string | undefined =>
  jwt.decode(token, { complete: true })?.header.kid;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Issue 10, finding 3: `POST /admin/keys/rotate`, tried on two replicas of one database. */
describe(`${SigningKeyService.name}: rotation across replicas`, () => {
  let dir: string;
  let url: string;
  let replicaA: NestExpressApplication;
  let replicaB: NestExpressApplication;
  let client: TestApplication;
  let user: TestUser;

  const userinfo = (app: NestExpressApplication, token: string) =>
    request(app.getHttpServer()).get('/oauth2/userinfo').auth(token, { type: 'bearer' });
  const jwksKids = async (app: NestExpressApplication): Promise<string[]> =>
    (
      (await request(app.getHttpServer()).get('/.well-known/jwks.json').expect(200)).body as {
        keys: { kid: string }[];
      }
    ).keys.map((key) => key.kid);
  const signIn = async (app: NestExpressApplication): Promise<string> =>
    (await passwordLogin(app, client, user).expect(200)).body.access_token as string;
  /** `POST /admin/keys/rotate` as the administrator; the new ES256 key (access tokens). */
  const rotate = async (app: NestExpressApplication): Promise<Record<string, unknown>> => {
    const admin = await adminToken(app);
    const res = await request(app.getHttpServer())
      .post('/admin/keys/rotate')
      .auth(admin, { type: 'bearer' })
      .expect(201);
    const { keys } = res.body as { keys: Array<Record<string, unknown>> };
    expect(keys.map((key) => key.algorithm)).toEqual(['ES256', 'RS256']);
    return keys[0] ?? {};
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-rotation-'));
    url = /^(mysql|mariadb):/.test(process.env.DATABASE_URL ?? '')
      ? (process.env.DATABASE_URL ?? '')
      : `sqlite:${join(dir, 'shared.db')}`;
    replicaA = await createTestApp({ DATABASE_URL: url });
    replicaB = await createTestApp({ DATABASE_URL: url });
    const admin = await adminToken(replicaA);
    client = await createApplication(replicaA, admin);
    user = await createUser(replicaA, admin);
  });

  afterAll(async () => {
    await replicaA?.close();
    await replicaB?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should refuse rotation without a bearer token with the admin scope', async () => {
    const http = request(replicaA.getHttpServer());
    await http.post('/admin/keys/rotate').expect(401);
    await http
      .post('/admin/keys/rotate')
      .auth(await signIn(replicaA), { type: 'bearer' })
      .expect(403);
  });

  it('should sign with the new key at once, verify it on the other replica, and keep old tokens valid', async () => {
    const before = await signIn(replicaB);
    const oldKid = kidOf(before);

    const rotated = await rotate(replicaA);
    expect(rotated).toEqual({
      kid: expect.any(String),
      algorithm: 'ES256',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const newKid = rotated.kid as string;
    expect(newKid).not.toBe(oldKid);

    const after = await signIn(replicaA);
    expect(kidOf(after)).toBe(newKid);
    // B has never seen the new kid: it loads it on first sight.
    await userinfo(replicaB, after).expect(200);
    await userinfo(replicaA, after).expect(200);
    // Tokens signed before the rotation verify on both until they expire.
    await userinfo(replicaA, before).expect(200);
    await userinfo(replicaB, before).expect(200);
    for (const replica of [replicaA, replicaB]) {
      expect(await jwksKids(replica)).toEqual(expect.arrayContaining([newKid, oldKid]));
      expect((await jwksKids(replica))[0]).toBe(newKid);
    }
  });

  it(`should bring the other replica to sign with the new key within ${SIGNING_KEY_REFRESH_INTERVAL_MS} ms`, async () => {
    const newKid = (await rotate(replicaA)).kid as string;
    const started = Date.now();
    // Only signing on B (no token with the new kid reaches it), so only the periodic re-read helps.
    let kid = kidOf(await signIn(replicaB));
    while (kid !== newKid && Date.now() - started < SIGNING_KEY_REFRESH_INTERVAL_MS + 2000) {
      await sleep(200);
      kid = kidOf(await signIn(replicaB));
    }
    expect(kid).toBe(newKid);
    expect(Date.now() - started).toBeLessThanOrEqual(SIGNING_KEY_REFRESH_INTERVAL_MS + 2000);
    await userinfo(replicaA, await signIn(replicaB)).expect(200);
  });

  it('should retire a key from verification and the JWKS once every token it signed has expired', async () => {
    const retiring = await signIn(replicaA);
    const retiredKid = kidOf(retiring);
    const successorKid = (await rotate(replicaA)).kid as string;
    await userinfo(replicaA, retiring).expect(200);
    // The successor was created longer ago than the longest token lifetime (24 h Huawei tokens)
    // plus the ID token lifetime: nothing the retired key signed can still be valid.
    await replicaA
      .get(DataSource)
      .getRepository(SigningKey)
      .update(
        { kid: successorKid },
        { createdAt: new Date(Date.now() - (24 * 3600 + 3600 + 60) * 1000 - 3600 * 1000) },
      );
    const replicaC = await createTestApp({ DATABASE_URL: url });
    try {
      const kids = await jwksKids(replicaC);
      expect(kids).toContain(successorKid);
      expect(kids).not.toContain(retiredKid);
      await userinfo(replicaC, retiring).expect(401);
      await userinfo(replicaC, await signIn(replicaC)).expect(200);
    } finally {
      await replicaC.close();
    }
  });
});
