/**
 * Writes the OpenAPI document (`npm run openapi:export [-- <file>]`, stdout without a file): the
 * same document `/docs-json` serves. The committed `openapi.json` is exported with ISSUER and PORT
 * unset (server `http://localhost:3000`); test/docs/openapi.e2e-spec.ts keeps it in sync.
 */
import { writeFileSync } from 'node:fs';
import { buildOfflineOpenApiDocument } from './openapi-document';

async function exportOpenApi(): Promise<void> {
  const json = `${JSON.stringify(await buildOfflineOpenApiDocument(), null, 2)}\n`;
  const target = process.argv[2];
  if (target) writeFileSync(target, json);
  else process.stdout.write(json);
}

exportOpenApi().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
