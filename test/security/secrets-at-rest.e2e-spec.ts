import {
  createHmac,
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ResetPasswordWithOtpUseCase } from '../../src/credentials/use-cases/reset-password-with-otp.use-case';
import { SendOneTimeCodeUseCase } from '../../src/credentials/use-cases/send-one-time-code.use-case';
import { SecretDigestService } from '../../src/keys/secret-digest.service';
import { SigningKeyService } from '../../src/keys/signing-key.service';
import { OtpChallenge } from '../../src/otp/otp-challenge.entity';
import { startSmtpReceiver, waitFor } from '../otp/otp-delivery-peers';
import {
  adminToken,
  createApplication,
  createUser,
  passwordLogin,
  refreshGrant,
} from '../utils/auth-helpers';
import { createTestApp } from '../utils/create-test-app';

const MYSQL_URL = /^(mysql|mariadb):/.test(process.env.DATABASE_URL ?? '')
  ? process.env.DATABASE_URL
  : undefined;

/** Every cell of every table, as the attacker holding a dump sees it. */
async function everyStoredValue(dataSource: DataSource): Promise<string[]> {
  const mysql = dataSource.options.type === 'mysql';
  const tables = mysql
    ? (await dataSource.query<Record<string, string>[]>('SHOW TABLES')).map(
        (row) => Object.values(row)[0] ?? '',
      )
    : (
        await dataSource.query<{ name: string }[]>(
          "SELECT name FROM sqlite_master WHERE type = 'table'",
        )
      ).map((row) => row.name);
  const values: string[] = [];
  for (const table of tables) {
    const rows = await dataSource.query<Record<string, unknown>[]>(
      mysql ? `SELECT * FROM \`${table}\`` : `SELECT * FROM "${table}"`,
    );
    for (const row of rows)
      for (const value of Object.values(row))
        if (typeof value === 'string' || Buffer.isBuffer(value)) values.push(value.toString());
  }
  return values;
}

/** Every way a stored text could be a key: its bytes, and its hex or base64 decoding. */
function candidateKeys(value: string): Buffer[] {
  const candidates: Buffer[] = [Buffer.from(value, 'utf8')];
  if (/^[0-9a-f]+$/i.test(value) && value.length % 2 === 0)
    candidates.push(Buffer.from(value, 'hex'));
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    candidates.push(Buffer.from(value, 'base64'), Buffer.from(value, 'base64url'));
  }
  for (const part of value.split(':')) if (part !== value) candidates.push(...candidateKeys(part));
  return candidates;
}

/** The stored bytes of the database: the SQLite files, or a `mysqldump` of the MySQL schema. */
function storedBytes(url: string): string {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    const dir = join(file, '..');
    const base = file.slice(dir.length + 1);
    return readdirSync(dir)
      .filter((name) => name.startsWith(base))
      .map((name) => readFileSync(join(dir, name)).toString('latin1'))
      .join('\n');
  }
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const args = [
    `--host=${parsed.hostname}`,
    `--port=${parsed.port || '3306'}`,
    `--user=${decodeURIComponent(parsed.username)}`,
    '--single-transaction',
    '--skip-extended-insert',
    decodeURIComponent(parsed.pathname.slice(1)),
  ];
  return execFileSync('mysqldump', args, {
    env: { ...process.env, MYSQL_PWD: decodeURIComponent(parsed.password) },
    maxBuffer: 512 * 1024 * 1024,
  }).toString('latin1');
}

/**
 * Issue 10, finding 3: a copy of the database must not be enough to forge tokens or take over
 * accounts. Private signing keys are sealed under `SECRET_KEY`, HMAC keys are derived from it and
 * never stored, and no secret reaches the database or the logs in clear.
 */
describe('Secrets at rest', () => {
  let dir: string;
  let url: string;
  let app: NestExpressApplication;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let logs: string[];
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-at-rest-'));
    url = MYSQL_URL ?? `sqlite:${join(dir, 'tessera.db')}`;
    smtp = await startSmtpReceiver();
    // pino writes JSON lines to stdout: keep them (and whatever reaches stderr) to search.
    logs = [];
    const text = (chunk: unknown): string =>
      Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      logs.push(text(chunk));
      return true;
    });
    const stderr = process.stderr.write.bind(process.stderr);
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown, ...rest: unknown[]) => {
      logs.push(text(chunk));
      return (stderr as (...args: unknown[]) => boolean)(chunk, ...rest);
    });
    app = await createTestApp({
      DATABASE_URL: url,
      LOG_LEVEL: 'trace',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'no-reply@tessera.test',
    });
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should refuse to start in production without SECRET_KEY, naming it', async () => {
    await expect(
      createTestApp({
        NODE_ENV: 'production',
        ISSUER: 'https://id.example.com',
        BCRYPT_COST: '10',
        SECRET_KEY: '',
      }),
    ).rejects.toThrow(/SECRET_KEY is required in production/);
  });

  it('should not let a private key taken from a database dump sign tokens', async () => {
    const admin = await adminToken(app);
    const { header, payload } = jwt.decode(admin, { complete: true }) as jwt.Jwt;
    const [row] = await app
      .get(DataSource)
      .query<{ kid: string; private_key: string }[]>(
        'SELECT kid, private_key FROM signing_keys ORDER BY generation DESC',
      );
    expect(row?.kid).toBe(header.kid);
    const stored = row?.private_key ?? '';
    // Whatever the attacker makes of the stored text, it is no private key.
    for (const candidate of [stored, ...candidateKeys(stored).map((b) => b.toString('utf8'))]) {
      expect(() => createPrivateKey(candidate)).toThrow();
    }
    for (const candidate of candidateKeys(stored)) {
      expect(() => createPrivateKey({ key: candidate, format: 'der', type: 'pkcs8' })).toThrow();
    }
    const real = app.get(SigningKeyService).current().privateKey;
    expect(stored).not.toContain(
      real.export({ format: 'der', type: 'pkcs8' }).toString('base64').slice(20, 60),
    );
    expect(stored).not.toContain(real.export({ format: 'jwk' }).d);

    // A key of the attacker's own under the real kid is refused; the real key is accepted, so the
    // refusal is for the signature alone.
    const claims = payload as jwt.JwtPayload;
    const forge = (key: KeyObject) =>
      jwt.sign(claims, key, { algorithm: 'ES256', keyid: header.kid, noTimestamp: true });
    const foreign = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const listUsers = (token: string) =>
      http().get('/admin/users?limit=1').auth(token, { type: 'bearer' });
    await listUsers(forge(real)).expect(200);
    await listUsers(forge(foreign)).expect(401);
  });

  it('should not let the database alone check a guessed one-time code offline', async () => {
    const admin = await adminToken(app);
    const client = await createApplication(app, admin);
    const user = await createUser(app, admin);
    const email = user.email ?? '';
    await app.get(SendOneTimeCodeUseCase).execute({
      clientId: client.client_id,
      channel: 'email',
      target: email,
      usage: 'reset_password',
      language: 'en',
    });
    const mail = await waitFor(
      () => smtp.mails.find((m) => m.to.includes(email)),
      `mail to ${email}`,
    );
    const code = /(?<!\d)(\d{6})(?!\d)/.exec(mail.text)?.[1] ?? '';
    const challenge = await app
      .get(DataSource)
      .getRepository(OtpChallenge)
      .findOneByOrFail({ target: email });
    const purpose = `otp-code:${challenge.tokenDigest}`;
    // The stored digest is what the service computes with its (derived) key…
    expect(app.get(SecretDigestService).digest(code, purpose)).toBe(challenge.codeDigest);

    // …but no table holds an HMAC key any more…
    const queryRunner = app.get(DataSource).createQueryRunner();
    try {
      if (await queryRunner.hasTable('key_material')) {
        await expect(queryRunner.query('SELECT * FROM key_material')).resolves.toEqual([]);
      }
    } finally {
      await queryRunner.release();
    }
    // …and no value found in the database, used as the key, reproduces the digest of the right
    // code: a guess cannot be checked without SECRET_KEY.
    const values = await everyStoredValue(app.get(DataSource));
    expect(values).toContain(challenge.codeDigest);
    const reproduces = values
      .flatMap(candidateKeys)
      .filter(
        (key) =>
          createHmac('sha256', key).update(purpose).update('\0').update(code).digest('hex') ===
            challenge.codeDigest ||
          createHmac('sha256', key).update(code).digest('hex') === challenge.codeDigest,
      );
    expect(reproduces).toEqual([]);
  });

  it('should keep passwords, client secrets, tokens and codes out of the database and the logs', async () => {
    const admin = await adminToken(app);
    const password = `Canary-${randomBytes(9).toString('base64url')}-Pw0`;
    const client = await createApplication(app, admin);
    const user = await createUser(app, admin, { password });
    const signIn = (
      await passwordLogin(app, client, { username: user.username, password }).expect(200)
    ).body as { access_token: string; refresh_token: string };
    const refreshed = (await refreshGrant(app, client, signIn.refresh_token).expect(200)).body as {
      refresh_token: string;
    };
    await http().get('/oauth2/userinfo').auth(signIn.access_token, { type: 'bearer' }).expect(200);

    const email = user.email ?? '';
    await app.get(SendOneTimeCodeUseCase).execute({
      clientId: client.client_id,
      channel: 'email',
      target: email,
      usage: 'reset_password',
      language: 'en',
    });
    const mail = await waitFor(
      () => smtp.mails.find((m) => m.to.includes(email)),
      `mail to ${email}`,
    );
    const code = /(?<!\d)(\d{6})(?!\d)/.exec(mail.text)?.[1] ?? '';
    const newPassword = `Canary-${randomBytes(9).toString('base64url')}-Reset0`;
    await app.get(ResetPasswordWithOtpUseCase).execute({
      clientId: client.client_id,
      channel: 'email',
      target: email,
      code,
      newPassword,
    });
    await passwordLogin(app, client, { username: user.username, password: newPassword }).expect(
      200,
    );

    const canaries: Record<string, string> = {
      password,
      'new password': newPassword,
      'client secret': client.client_secret ?? '',
      'refresh token': signIn.refresh_token,
      'rotated refresh token': refreshed.refresh_token,
      'access token': signIn.access_token,
      'one-time code': `${code}`,
    };
    expect(Object.values(canaries).every((value) => value.length >= 6)).toBe(true);

    const stored = storedBytes(url);
    const logged = logs.join('');
    // The captures are real: the sign-in and the user are in them.
    expect(stored).toContain(user.username);
    expect(logged).toContain('/oauth2/token');
    expect(logged).toContain('"url":"/oauth2/userinfo"');

    const found = (haystack: string) =>
      Object.entries(canaries)
        .filter(([name, value]) =>
          name === 'one-time code'
            ? // Six digits turn up by chance in binary pages; look for the code as a value.
              new RegExp(`["'=: ]${value}["'&,; ]`).test(haystack)
            : haystack.includes(value) ||
              haystack.includes(Buffer.from(value).toString('base64')) ||
              haystack.includes(encodeURIComponent(value)),
        )
        .map(([name]) => name);
    expect(found(stored)).toEqual([]);
    expect(found(logged)).toEqual([]);
  });
});
