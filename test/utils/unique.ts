import { randomInt } from 'node:crypto';

/**
 * Names unique to this test run, so suites can share one database (CI runs the suite on MariaDB
 * in one database; a developer may run it twice against the same one).
 */
const run = `${Date.now().toString(36)}${randomInt(0, 1296).toString(36)}`;
let seq = 0;

export function uniqueName(prefix: string): string {
  seq += 1;
  return `${prefix}${run}x${seq}`;
}

/** A valid, unused-looking Chinese mobile number in E.164. */
export function uniqueCnMobile(): string {
  return `+86139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}
