import { join } from 'node:path';
import { GENERATED_SECRET_KEY_FILE } from '../../src/config/app.config';
import { processSecretKey, readOrCreateSecretKeyFile } from '../../src/keys/secret-key.file';

/**
 * The `SECRET_KEY` every other test app of this run uses (none is set, so the service generates
 * one): a test that must set it explicitly (production mode) passes this one, so it can read the
 * signing keys the shared database already holds.
 */
export function suiteSecretKey(): string {
  const url = process.env.DATABASE_URL ?? '';
  return url.startsWith('mysql:')
    ? readOrCreateSecretKeyFile(join(process.env.DATA_DIR ?? './data', GENERATED_SECRET_KEY_FILE))
        .key
    : processSecretKey();
}
