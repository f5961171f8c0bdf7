/**
 * Lints the OpenAPI document the service serves (`npm run openapi:lint`) with Redocly's
 * `recommended` rules as `redocly.yaml` configures them (every exception there carries its reason).
 * Prints each problem and exits 1 on any error or warning. No server needed: the document is built
 * from the module graph, as `openapi:export` builds it.
 */
import { join } from 'node:path';
import { lintFromString, loadConfig, type NormalizedProblem } from '@redocly/openapi-core';
import { buildOfflineOpenApiDocument } from './openapi-document';

const ROOT = join(__dirname, '..');
export const REDOCLY_CONFIG = join(ROOT, 'redocly.yaml');
/** The name problems are reported under, and that `.redocly.lint-ignore.yaml` entries refer to. */
export const OPENAPI_FILE = join(ROOT, 'openapi.json');

/** Problems Redocly finds in `document`, without those `.redocly.lint-ignore.yaml` waives. */
export async function lintOpenApiDocument(document: object): Promise<NormalizedProblem[]> {
  const config = await loadConfig({ configPath: REDOCLY_CONFIG });
  const problems = await lintFromString({
    source: JSON.stringify(document, null, 2),
    absoluteRef: OPENAPI_FILE,
    config,
  });
  return problems.filter((problem) => !problem.ignored);
}

/** One line per problem: severity, rule, where, what. */
export function describeProblem(problem: NormalizedProblem): string {
  const where = problem.location[0]?.pointer ?? '#';
  return `${problem.severity} ${problem.ruleId} ${where}: ${problem.message}`;
}

async function main(): Promise<void> {
  const problems = await lintOpenApiDocument(await buildOfflineOpenApiDocument());
  for (const problem of problems) process.stdout.write(`${describeProblem(problem)}\n`);
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  process.stdout.write(
    `OpenAPI lint (redocly recommended): ${errors} errors, ${problems.length - errors} warnings\n`,
  );
  if (problems.length > 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
