import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Bytes of entropy in a generated key (hex-encoded, like `openssl rand -hex 32`). */
const GENERATED_KEY_BYTES = 32;

/** Generated once per process for `sqlite::memory:`, so every app of one process agrees. */
let processKey: string | undefined;

/** The process-wide generated key, for databases that live only as long as the process. */
export function processSecretKey(): string {
  processKey ??= randomBytes(GENERATED_KEY_BYTES).toString('hex');
  return processKey;
}

/**
 * Reads the generated `SECRET_KEY` at `path`, creating it (mode 0600) on first start. The key is
 * written to a private temporary file and hard-linked into place, so replicas or test workers
 * starting together never see a half-written key and all end up with the one that won.
 * @returns the key and whether this call created it.
 */
export function readOrCreateSecretKeyFile(path: string): { key: string; created: boolean } {
  const existing = readKey(path);
  if (existing) return { key: existing, created: false };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = join(
    dirname(path),
    `.secret.key.${process.pid}.${randomBytes(6).toString('hex')}`,
  );
  writeFileSync(temporary, `${randomBytes(GENERATED_KEY_BYTES).toString('hex')}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  let created = true;
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    created = false;
  } finally {
    unlinkSync(temporary);
  }
  const key = readKey(path);
  if (!key)
    throw new Error(`The generated SECRET_KEY file ${path} is empty; delete it or set SECRET_KEY`);
  return { key, created };
}

function readKey(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
