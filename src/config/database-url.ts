/** What a `mysql://` / `mariadb://` DATABASE_URL must hold, checked at start with a clear message. */
const MYSQL_SCHEMES = /^(mysql|mariadb):\/\//;

/**
 * `url` with its password replaced by `***`, safe to log. A URL that does not parse is reduced to
 * its scheme, since its password cannot be located reliably.
 */
export function maskDatabaseUrl(url: string): string {
  if (url.startsWith('sqlite:')) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return `${url.split(':')[0]}://…`;
  }
}

/**
 * The problems of a `DATABASE_URL`, each naming the variable (and never its password): the shape
 * `sqlite:<file>` / `mysql://user:pass@host:port/db` is checked by the environment class; this
 * checks the parts of a MySQL URL that the driver would otherwise only trip over later, or not at
 * all (a URL without a database name connects and then fails on the first query).
 */
export function databaseUrlProblems(url: string): string[] {
  if (!MYSQL_SCHEMES.test(url)) return [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [
      'DATABASE_URL is not a valid URL (mysql://user:password@host:3306/database; the port must be 1-65535, and reserved characters in the user name or password percent-encoded)',
    ];
  }
  const shown = maskDatabaseUrl(url);
  const problems: string[] = [];
  if (parsed.hostname === '') problems.push(`DATABASE_URL (${shown}) names no host`);
  if (parsed.port === '0') problems.push(`DATABASE_URL (${shown}): port 0 is not a port`);
  if (parsed.username === '') problems.push(`DATABASE_URL (${shown}) names no user`);
  for (const [part, value] of [
    ['user name', parsed.username],
    ['password', parsed.password],
    ['database name', parsed.pathname],
  ] as const) {
    try {
      decodeURIComponent(value);
    } catch {
      problems.push(`DATABASE_URL (${shown}): the ${part} has a malformed %-escape`);
    }
  }
  const database = parsed.pathname.replace(/^\//, '');
  if (database === '') {
    problems.push(
      `DATABASE_URL (${shown}) names no database: add it after the port (mysql://user:password@host:3306/<database>)`,
    );
  } else if (database.includes('/')) {
    problems.push(`DATABASE_URL (${shown}): the database name must be one path segment`);
  }
  const limit = parsed.searchParams.get('connection_limit');
  if (limit !== null && !(/^\d+$/.test(limit) && Number(limit) >= 1 && Number(limit) <= 1000)) {
    problems.push(`DATABASE_URL (${shown}): connection_limit must be an integer from 1 to 1000`);
  }
  return problems;
}
