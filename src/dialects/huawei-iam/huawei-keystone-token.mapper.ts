import { createHash } from 'node:crypto';
import type { User } from '../../users/user.entity';
import type { HuaweiTokenResponse } from './dto/huawei-keystone-token.dto';

/** What a Keystone token remembers of its request: the domain named and the scope asked for. */
export interface HuaweiTokenContext {
  domainName: string;
  scope: { project: { id?: string; name?: string } } | { domain: true } | null;
}

/** A domain a request names, by id, by name, or by both. */
export interface DomainReference {
  id?: string;
  name?: string;
}

/** Keystone's default domain, for a sign-in that names none (by user id). */
const DEFAULT_DOMAIN_NAME = 'Default';

/**
 * A stable 32-hex id for a name, as Huawei's ids look: one realm serves every domain and project
 * name a client uses, so the id is derived rather than stored.
 */
const idOf = (kind: string, name: string): string =>
  createHash('sha256').update(`${kind}:${name}`).digest('hex').slice(0, 32);

/** Keystone's timestamps: ISO 8601 in UTC with microseconds (`2026-11-25T08:00:00.000000Z`). */
export const keystoneTime = (date: Date): string => date.toISOString().replace(/Z$/, '000Z');

export function parseTokenContext(stored: string | null): HuaweiTokenContext {
  try {
    const parsed = JSON.parse(stored ?? '') as HuaweiTokenContext;
    if (typeof parsed.domainName === 'string') return parsed;
  } catch {
    // Not written by this dialect: describe it with the defaults.
  }
  return { domainName: DEFAULT_DOMAIN_NAME, scope: null };
}

export function tokenContext(
  domainName: string | undefined,
  scope: HuaweiTokenContext['scope'],
): HuaweiTokenContext {
  return { domainName: domainName?.trim() || DEFAULT_DOMAIN_NAME, scope };
}

/**
 * Whether `reference` names the domain of the token's user. Tessera has one domain per user: the
 * one named at sign-in (else Keystone's default), with its id derived from the name. Both the id
 * and the name, where given, must match.
 */
export function isUsersDomain(context: HuaweiTokenContext, reference: DomainReference): boolean {
  const { domainName } = context;
  return (
    (reference.id === undefined || reference.id === idOf('domain', domainName)) &&
    (reference.name === undefined || reference.name.trim() === domainName)
  );
}

/** The body Keystone (and Huawei IAM) answers a token request or validation with. */
export function keystoneTokenBody(token: {
  user: User;
  issuedAt: Date;
  expiresAt: Date;
  methods: string[];
  context: HuaweiTokenContext;
  passwordExpiresAt: Date | null;
}): HuaweiTokenResponse {
  const { user, context } = token;
  const domain = { id: idOf('domain', context.domainName), name: context.domainName };
  const body: HuaweiTokenResponse = {
    token: {
      expires_at: keystoneTime(token.expiresAt),
      issued_at: keystoneTime(token.issuedAt),
      methods: token.methods,
      catalog: [],
      roles: user.roles.map((role) => ({ id: idOf('role', role), name: role })),
      user: {
        id: user.id,
        name: user.username,
        domain,
        password_expires_at: token.passwordExpiresAt ? keystoneTime(token.passwordExpiresAt) : null,
      },
    },
  };
  const scope = context.scope;
  if (scope && 'project' in scope) {
    const name = scope.project.name ?? scope.project.id ?? '';
    body.token.project = { id: scope.project.id ?? idOf('project', name), name, domain };
  } else if (scope) {
    body.token.domain = domain;
  }
  return body;
}
