/** The wire dialects Tessera speaks; each renders every error on its paths. */
export const DIALECTS = ['native', 'tencent', 'huawei', 'idaas-tenant', 'idaas-sdk'] as const;
export type Dialect = (typeof DIALECTS)[number];

/**
 * Which paths belong to which vendor dialect (API.md §3): dialect routes are the vendor's paths
 * verbatim, at the root. A prefix owns itself and everything under it, so an unknown sub-path is
 * answered by the dialect whose client sent it. Every other path is native.
 */
export const DIALECT_PATH_PREFIXES: ReadonlyArray<
  readonly [prefix: string, dialect: Exclude<Dialect, 'native'>]
> = [
  ['/change_user_password', 'tencent'],
  ['/reset_user_password', 'tencent'],
  ['/otp/send', 'tencent'],
  ['/v3', 'huawei'],
  ['/v3.0', 'huawei'],
  ['/api/v2/tenant', 'idaas-tenant'],
  ['/api/v2/sdk', 'idaas-sdk'],
];

/**
 * The dialect of a request path (no query string). Case-insensitive, because Express routes are,
 * so a path that reaches a dialect's controller is also rendered by that dialect.
 */
export function dialectOfPath(path: string): Dialect {
  const lower = path.toLowerCase();
  for (const [prefix, dialect] of DIALECT_PATH_PREFIXES) {
    if (lower === prefix || lower.startsWith(`${prefix}/`)) return dialect;
  }
  return 'native';
}
