import { databaseUrlProblems, maskDatabaseUrl } from './database-url';

const SECRET = 'S3cret-Pw';

describe(databaseUrlProblems.name, () => {
  it.each([
    ['sqlite:./data/tessera.db'],
    ['sqlite::memory:'],
    [`mysql://tessera:${SECRET}@db:3306/tessera`],
    [`mariadb://tessera:${SECRET}@db/tessera?connection_limit=20`],
    ['mysql://root@127.0.0.1:3306/tessera_ops'],
  ])('should accept %s', (url) => {
    expect(databaseUrlProblems(url)).toEqual([]);
  });

  it.each([
    ['no database name', `mysql://tessera:${SECRET}@db:3306`, /names no database/],
    ['an empty database name', `mysql://tessera:${SECRET}@db:3306/`, /names no database/],
    ['two path segments', `mysql://tessera:${SECRET}@db/a/b`, /one path segment/],
    ['a port out of range', `mysql://tessera:${SECRET}@db:70000/x`, /not a valid URL/],
    ['a port that is not a number', `mysql://tessera:${SECRET}@db:abc/x`, /not a valid URL/],
    ['port 0', `mysql://tessera:${SECRET}@db:0/x`, /port 0/],
    ['no user', `mysql://:${SECRET}@db/x`, /names no user/],
    ['a malformed escape', `mysql://tessera:${SECRET}%zz@db/x`, /malformed %-escape/],
    [
      'a bad connection_limit',
      `mysql://tessera:${SECRET}@db/x?connection_limit=0`,
      /connection_limit/,
    ],
  ])('should refuse %s, naming DATABASE_URL without the password', (_case, url, problem) => {
    const problems = databaseUrlProblems(url);
    expect(problems).toEqual([expect.stringMatching(problem)]);
    expect(problems[0]).toMatch(/^DATABASE_URL/);
    expect(problems[0]).not.toContain(SECRET);
  });
});

describe(maskDatabaseUrl.name, () => {
  it('should replace the password and keep the rest', () => {
    expect(maskDatabaseUrl(`mysql://tessera:${SECRET}@db:3306/tessera`)).toBe(
      'mysql://tessera:***@db:3306/tessera',
    );
    expect(maskDatabaseUrl('mysql://root@db/x')).toBe('mysql://root@db/x');
    expect(maskDatabaseUrl(`mysql://tessera:${SECRET}@db:99999/x`)).toBe('mysql://…');
  });
});
