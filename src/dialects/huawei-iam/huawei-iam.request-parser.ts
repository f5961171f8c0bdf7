import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import type { DomainReference, HuaweiTokenContext } from './huawei-keystone-token.mapper';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** IAM code 1100: a parameter is missing or of the wrong type. */
const missing = (field: string): IdentityError =>
  new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
    fields: [{ field, problems: ['missing or invalid'] }],
  });

function objectAt(value: unknown, path: string): Json {
  if (!isObject(value)) throw missing(path);
  return value;
}

function optionalObjectAt(value: unknown, path: string): Json | undefined {
  return value === undefined ? undefined : objectAt(value, path);
}

function stringAt(value: unknown, path: string, maxLength = 1024): string {
  if (typeof value !== 'string' || value === '' || value.length > maxLength) throw missing(path);
  return value;
}

function optionalStringAt(value: unknown, path: string): string | undefined {
  return value === undefined ? undefined : stringAt(value, path, 255);
}

export interface HuaweiPasswordAuthentication {
  identifier: { login: string } | { userId: string };
  password: string;
  domainName: string | undefined;
  scope: HuaweiTokenContext['scope'];
  /** The domain the scope names (`scope.domain`, or `scope.project.domain`), if it names one. */
  scopeDomain: DomainReference | undefined;
}

/**
 * `POST /v3/auth/tokens` with the `password` method (Keystone v3): the user by `name` (with its
 * domain) or by `id`, and an optional project or domain scope by name or id.
 */
export function parsePasswordAuthentication(body: unknown): HuaweiPasswordAuthentication {
  const auth = objectAt(objectAt(body, 'auth').auth, 'auth');
  const identity = objectAt(auth.identity, 'auth.identity');
  const methods = identity.methods;
  if (!Array.isArray(methods) || !methods.includes('password'))
    throw missing('auth.identity.methods');
  const user = objectAt(
    objectAt(identity.password, 'auth.identity.password').user,
    'auth.identity.password.user',
  );
  const password = stringAt(user.password, 'auth.identity.password.user.password');
  const id = optionalStringAt(user.id, 'auth.identity.password.user.id');
  const name = optionalStringAt(user.name, 'auth.identity.password.user.name');
  const domain = optionalObjectAt(user.domain, 'auth.identity.password.user.domain');
  const domainName = optionalStringAt(domain?.name, 'auth.identity.password.user.domain.name');
  if (!id && !name) throw missing('auth.identity.password.user.name');
  return {
    identifier: id ? { userId: id } : { login: name ?? '' },
    password,
    domainName,
    ...parseScope(auth.scope),
  };
}

/** `{id?, name?}` at `path`, at least one of them given. */
function idOrNameAt(value: unknown, path: string): { id?: string; name?: string } {
  const ref = objectAt(value, path);
  const id = optionalStringAt(ref.id, `${path}.id`);
  const name = optionalStringAt(ref.name, `${path}.name`);
  if (!id && !name) throw missing(`${path}.name`);
  return { ...(id ? { id } : {}), ...(name ? { name } : {}) };
}

function parseScope(value: unknown): Pick<HuaweiPasswordAuthentication, 'scope' | 'scopeDomain'> {
  const scope = optionalObjectAt(value, 'auth.scope');
  if (!scope) return { scope: null, scopeDomain: undefined };
  if (scope.project !== undefined) {
    const project = idOrNameAt(scope.project, 'auth.scope.project');
    const domain = (scope.project as Json).domain;
    return {
      scope: { project },
      scopeDomain:
        domain === undefined ? undefined : idOrNameAt(domain, 'auth.scope.project.domain'),
    };
  }
  if (scope.domain !== undefined) {
    return { scope: { domain: true }, scopeDomain: idOrNameAt(scope.domain, 'auth.scope.domain') };
  }
  throw missing('auth.scope');
}

/** Seed 003: `{"user":{"password","original_password"}}`. */
export function parsePasswordChange(body: unknown): { password: string; originalPassword: string } {
  const user = objectAt(objectAt(body, 'user').user, 'user');
  return {
    password: stringAt(user.password, 'user.password'),
    originalPassword: stringAt(user.original_password, 'user.original_password'),
  };
}
