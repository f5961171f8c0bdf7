import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ChangePasswordUseCase } from '../../src/credentials/use-cases/change-password.use-case';
import { TransactionRunner } from '../../src/database/transaction-runner';
import { PasswordHasher } from '../../src/hashing/password-hasher.service';
import { PasswordHistoryEntry } from '../../src/password-history/password-history-entry.entity';
import { PasswordHistoryService } from '../../src/password-history/password-history.service';
import { PasswordPolicyService } from '../../src/policy/password-policy.service';
import { adminToken as issueAdminToken, basicAuth, createApplication } from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';
import { uniqueName } from '../utils/unique';

describe(PasswordHistoryService.name, () => {
  let app: NestExpressApplication;
  let token: string;
  let history: PasswordHistoryService;
  let hasher: PasswordHasher;
  let transactions: TransactionRunner;
  /** What record keeps besides the current password (other suites may share the database). */
  let retained: number;
  const http = () => request(app.getHttpServer());

  /** A user without a password, so every history row is the test's own. */
  const newUserId = async (): Promise<string> =>
    (
      await http()
        .post('/admin/users')
        .auth(token, { type: 'bearer' })
        .send({ username: uniqueName('hist') })
        .expect(201)
    ).body.user_id as string;

  /** Records `passwords` oldest first, as successive changes; returns their hashes. */
  const recordAll = async (userId: string, passwords: string[]): Promise<string[]> => {
    const hashes: string[] = [];
    const start = Date.now() - passwords.length * 1000;
    for (const [index, password] of passwords.entries()) {
      const hash = await hasher.hash(password);
      await transactions.run((manager) =>
        history.record(
          manager,
          userId,
          hash,
          index === 0 ? 'initial' : 'change',
          new Date(start + index * 1000),
        ),
      );
      hashes.push(hash);
    }
    return hashes;
  };

  const passwordsOf = (count: number) =>
    Array.from({ length: count }, (_, i) => `History-Passw0rd-${i}`);

  beforeAll(async () => {
    app = await createTestApp();
    token = await issueAdminToken(app);
    history = app.get(PasswordHistoryService);
    hasher = app.get(PasswordHasher);
    transactions = app.get(TransactionRunner);
    // Every policy's history_count raises what is kept; this one keeps more rows than any N
    // below, so findReuse's boundaries are its own and not merely the pruning's.
    const roomy = await createApplication(app, token);
    await http()
      .put(`/admin/applications/${roomy.client_id}/password-policy`)
      .auth(token, { type: 'bearer' })
      .send({ history_count: 10 })
      .expect(200);
    retained = await app.get(PasswordPolicyService).retainedHistoryCount();
  });
  afterAll(() => app.close());

  describe('findReuse', () => {
    it.each([0, 1, 3, 5])(
      'should, with history_count %i, refuse the current and the N before it and allow the one before those',
      async (n) => {
        const userId = await newUserId();
        const passwords = passwordsOf(n + 3);
        const hashes = await recordAll(userId, passwords);
        const current = passwords.length - 1;
        const currentHash = hashes[current] ?? null;
        const check = (password: string) => history.findReuse(userId, password, currentHash, n);

        await expect(check(passwords[current] ?? '')).resolves.toEqual({
          rule: 'same_as_current',
          params: {},
        });
        for (let back = 1; back <= n; back += 1) {
          await expect(check(passwords[current - back] ?? '')).resolves.toEqual({
            rule: 'history',
            params: { count: n },
          });
        }
        await expect(check(passwords[current - n - 1] ?? '')).resolves.toBeNull();
        await expect(check('Never-Used-Passw0rd')).resolves.toBeNull();
      },
    );

    it('should compare NFKC-equal input as the same password', async () => {
      const userId = await newUserId();
      const [hash] = await recordAll(userId, ['Ｆｕｌｌｗｉｄｔｈ-Passw0rd']);
      await expect(
        history.findReuse(userId, 'Fullwidth-Passw0rd', hash ?? null, 5),
      ).resolves.toEqual({ rule: 'same_as_current', params: {} });
    });

    it('should check history_count older passwords when the current one is not in the history', async () => {
      const userId = await newUserId();
      const passwords = passwordsOf(3);
      await recordAll(userId, passwords);
      const unrecordedCurrent = await hasher.hash('Set-Outside-History-1');
      // Newest first: passwords 2 and 1 are the two before the (unrecorded) current one.
      const check = (password: string) => history.findReuse(userId, password, unrecordedCurrent, 2);
      await expect(check(passwords[2] ?? '')).resolves.toMatchObject({ rule: 'history' });
      await expect(check(passwords[1] ?? '')).resolves.toMatchObject({ rule: 'history' });
      await expect(check(passwords[0] ?? '')).resolves.toBeNull();
    });

    it('should run the bcrypt compares in parallel', async () => {
      const userId = await newUserId();
      const hashes = await recordAll(userId, passwordsOf(6));
      let inFlight = 0;
      let peak = 0;
      const verify = hasher.verify.bind(hasher);
      const spy = jest.spyOn(hasher, 'verify').mockImplementation(async (password, hash) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        try {
          return await verify(password, hash);
        } finally {
          inFlight -= 1;
        }
      });
      try {
        await history.findReuse(userId, 'Never-Used-Passw0rd', hashes[5] ?? null, 5);
        expect(spy).toHaveBeenCalledTimes(6);
        expect(peak).toBe(6);
      } finally {
        spy.mockRestore();
      }
    });

    it('should answer same_as_current from a verified current password without a bcrypt compare', async () => {
      const userId = await newUserId();
      const [hash] = await recordAll(userId, ['Ｃｕｒｒｅｎｔ-Passw0rd']);
      const verify = jest.spyOn(hasher, 'verify');
      try {
        const check = (candidate: string) =>
          history.findReuse(userId, candidate, hash ?? null, 0, 'Ｃｕｒｒｅｎｔ-Passw0rd');
        await expect(check('Current-Passw0rd')).resolves.toEqual({
          rule: 'same_as_current',
          params: {},
        });
        await expect(check('Current-Passw0rd!')).resolves.toBeNull();
        expect(verify).not.toHaveBeenCalled();
      } finally {
        verify.mockRestore();
      }
    });

    it('should cost a self-service change with no history one verify and one hash', async () => {
      const client = await createApplication(app, token);
      await http()
        .put(`/admin/applications/${client.client_id}/password-policy`)
        .auth(token, { type: 'bearer' })
        .send({ history_count: 0 })
        .expect(200);
      const userId = (
        await http()
          .post('/admin/users')
          .auth(token, { type: 'bearer' })
          .send({ username: uniqueName('hist'), password: 'First-Passw0rd-1' })
          .expect(201)
      ).body.user_id as string;
      const change = (currentPassword: string, newPassword: string) =>
        app
          .get(ChangePasswordUseCase)
          .execute({ userId, currentPassword, newPassword, clientId: client.client_id });
      const verify = jest.spyOn(hasher, 'verify');
      const hash = jest.spyOn(hasher, 'hash');
      try {
        await expect(change('First-Passw0rd-1', 'First-Passw0rd-1')).rejects.toMatchObject({
          details: { violations: [{ rule: 'same_as_current' }] },
        });
        verify.mockClear();
        hash.mockClear();
        await change('First-Passw0rd-1', 'Second-Passw0rd-2');
        expect(verify).toHaveBeenCalledTimes(1);
        expect(hash).toHaveBeenCalledTimes(1);
      } finally {
        verify.mockRestore();
        hash.mockRestore();
      }
    });
  });

  describe('record', () => {
    it('should keep the newest entries: the current one and the largest history_count of any policy', async () => {
      const userId = await newUserId();
      const total = retained + 3;
      await recordAll(userId, passwordsOf(total));
      const rows = await app
        .get(DataSource)
        .getRepository(PasswordHistoryEntry)
        .find({ where: { userId }, order: { id: 'DESC' } });
      expect(rows).toHaveLength(retained + 1);
      for (const [index, row] of rows.entries())
        await expect(
          hasher.verify(`History-Passw0rd-${total - 1 - index}`, row.passwordHash),
        ).resolves.toBe(true);
    });

    it("should roll back with the caller's transaction", async () => {
      const userId = await newUserId();
      await recordAll(userId, passwordsOf(2));
      const hash = await hasher.hash('Rolled-Back-Passw0rd');
      await expect(
        transactions.run(async (manager) => {
          await history.record(manager, userId, hash, 'change', new Date());
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      await expect(history.list(userId)).resolves.toHaveLength(2);
    });

    it("should not touch other users' entries when pruning", async () => {
      const [first, second] = [await newUserId(), await newUserId()];
      await recordAll(first, passwordsOf(3));
      await recordAll(second, passwordsOf(retained + 2));
      await expect(history.list(first)).resolves.toHaveLength(3);
      await expect(history.list(second)).resolves.toHaveLength(retained + 1);
    });
  });

  describe('GET /admin/users/{user_id}/password-history', () => {
    it('should list changes newest first, with only changed_at and reason', async () => {
      const userId = await newUserId();
      await recordAll(userId, passwordsOf(3));
      const res = await http()
        .get(`/admin/users/${userId}/password-history`)
        .auth(token, { type: 'bearer' })
        .expect(200);
      const entries = res.body as Array<{ changed_at: string; reason: string }>;
      expect(entries.map((e) => e.reason)).toEqual(['change', 'change', 'initial']);
      for (const entry of entries)
        expect(Object.keys(entry).sort()).toEqual(['changed_at', 'reason']);
      const times = entries.map((e) => Date.parse(e.changed_at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(JSON.stringify(res.body)).not.toMatch(/\$2[aby]\$/);
    });

    it('should show the initial entry of a user created with a password', async () => {
      const res = await http()
        .post('/admin/users')
        .auth(token, { type: 'bearer' })
        .send({ username: uniqueName('hist'), password: 'Initial-Passw0rd' })
        .expect(201);
      const list = await http()
        .get(`/admin/users/${res.body.user_id as string}/password-history`)
        .auth(token, { type: 'bearer' })
        .expect(200);
      expect(list.body).toEqual([{ changed_at: expect.any(String), reason: 'initial' }]);
    });

    it('should answer 404 user_not_found for an unknown user', async () => {
      const res = await http()
        .get('/admin/users/00000000-0000-4000-8000-000000000000/password-history')
        .auth(token, { type: 'bearer' })
        .expect(404);
      expect(res.body).toMatchObject({ error: 'user_not_found' });
    });

    it('should require a bearer token with the admin scope', async () => {
      const userId = await newUserId();
      await http().get(`/admin/users/${userId}/password-history`).expect(401);
      const m2m = await createApplication(app, token, { type: 'm2m', scopes: ['profile'] });
      const weak = (
        await http()
          .post('/oauth2/token')
          .set('Authorization', basicAuth(m2m.client_id, m2m.client_secret ?? ''))
          .type('form')
          .send({ grant_type: 'client_credentials' })
          .expect(200)
      ).body.access_token as string;
      await http()
        .get(`/admin/users/${userId}/password-history`)
        .auth(weak, { type: 'bearer' })
        .expect(403);
    });
  });
});
