import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { KeyEnvelope } from '../../src/keys/key-envelope';
import { RsaSigningKey } from '../../src/keys/rsa-signing-key.entity';
import { SigningKey } from '../../src/keys/signing-key.entity';
import { SigningKeyService } from '../../src/keys/signing-key.service';
import { adminToken } from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';

const SECRET_A = '3b8f1e0c9d2a4f6b8e0d2c4a6f8b1d3e5c7a9f0b2d4e6a8c1f3b5d7e9a0c2e4f';
const SECRET_B = '7c1e3a5f9b0d2e4c6a8f1b3d5e7c9a0f2b4d6e8a1c3f5b7d9e0a2c4f6b8d1e3a';

/**
 * Issue 10, finding 3: private signing keys are sealed at rest under `SECRET_KEY`. Dialect-neutral
 * storage behaviour, so each case uses its own SQLite file (the shared MariaDB of the suite must
 * not be sealed under a foreign key).
 */
describe(`${SigningKeyService.name}: keys at rest`, () => {
  let dir: string;
  let url: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-sealed-'));
    url = `sqlite:${join(dir, 'tessera.db')}`;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const storedRows = async (
    app: { get(type: typeof DataSource): DataSource },
    table: typeof SigningKey | typeof RsaSigningKey = SigningKey,
  ) =>
    app
      .get(DataSource)
      .getRepository(table)
      .find({ order: { generation: 'ASC' } });

  it('should refuse to start under another SECRET_KEY, naming it', async () => {
    const first = await createTestApp({ DATABASE_URL: url, SECRET_KEY: SECRET_A });
    // One key per algorithm, each in its table: ES256 (access tokens), RS256 (ID tokens), sealed.
    const rows = [...(await storedRows(first)), ...(await storedRows(first, RsaSigningKey))];
    expect(rows.map((row) => row.algorithm)).toEqual(['ES256', 'RS256']);
    for (const row of rows) expect(KeyEnvelope.isSealed(row.privateKey)).toBe(true);
    await first.close();

    await expect(createTestApp({ DATABASE_URL: url, SECRET_KEY: SECRET_B })).rejects.toThrow(
      /written under another SECRET_KEY/,
    );
    // The right key still opens them.
    const again = await createTestApp({ DATABASE_URL: url, SECRET_KEY: SECRET_A });
    await again.close();
  });

  it('should seal a plaintext key left by an earlier version on first start, and keep signing with it', async () => {
    const first = await createTestApp({ DATABASE_URL: url, SECRET_KEY: SECRET_A });
    const { kid, privateKey } = first.get(SigningKeyService).current();
    const before = await adminToken(first);
    // What the earlier version stored: PKCS#8 PEM in clear.
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await first.get(DataSource).getRepository(SigningKey).update({ kid }, { privateKey: pem });
    await first.close();

    const next = await createTestApp({ DATABASE_URL: url, SECRET_KEY: SECRET_A });
    try {
      const [row] = await storedRows(next);
      expect(row?.kid).toBe(kid);
      expect(KeyEnvelope.isSealed(row?.privateKey ?? '')).toBe(true);
      expect(row?.privateKey).not.toContain('PRIVATE KEY');
      expect(next.get(SigningKeyService).current().kid).toBe(kid);
      await request(next.getHttpServer())
        .get('/admin/users?limit=1')
        .auth(before, { type: 'bearer' })
        .expect(200);
    } finally {
      await next.close();
    }
  });

  it('should start the RS256 series on a database that holds ES256 keys only, keeping the ES256 key', async () => {
    const first = await createTestApp({ DATABASE_URL: url, SECRET_KEY: SECRET_A });
    const esKid = first.get(SigningKeyService).current('ES256').kid;
    const deletedRsKid = first.get(SigningKeyService).current('RS256').kid;
    // What a version before RS256 ID tokens left behind: ES256 keys only.
    await first.get(DataSource).getRepository(RsaSigningKey).clear();
    await first.close();

    const next = await createTestApp({ DATABASE_URL: url, SECRET_KEY: SECRET_A });
    try {
      // signing_keys, whose newest row an earlier release still signs with, holds ES256 only.
      expect((await storedRows(next)).map((row) => [row.algorithm, row.kid])).toEqual([
        ['ES256', esKid],
      ]);
      const [rsa] = await storedRows(next, RsaSigningKey);
      expect(rsa).toMatchObject({ algorithm: 'RS256', generation: 1 });
      expect(rsa?.kid).not.toBe(deletedRsKid);
      expect(KeyEnvelope.isSealed(rsa?.privateKey ?? '')).toBe(true);
      expect(next.get(SigningKeyService).current('ES256').kid).toBe(esKid);
      expect(next.get(SigningKeyService).current('RS256').kid).toBe(rsa?.kid);
      const { keys } = (await request(next.getHttpServer()).get('/.well-known/jwks.json')).body as {
        keys: Array<{ kid: string; alg: string }>;
      };
      expect(keys.map((key) => [key.alg, key.kid])).toEqual([
        ['ES256', esKid],
        ['RS256', rsa?.kid],
      ]);
    } finally {
      await next.close();
    }
  });
});
