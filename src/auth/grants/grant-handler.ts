import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Application } from '../../applications/application.entity';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import type { TokenResponse } from '../tokens/token.service';

/** One OAuth grant type (or several aliases) of the token endpoint. */
export interface GrantHandler {
  readonly grantTypes: readonly string[];
  handle(params: Readonly<Record<string, string>>, client: Application): Promise<TokenResponse>;
}

/**
 * The token endpoint's grants. Modules add theirs at start (e.g. the Tencent one-time-code grant),
 * so the endpoint never needs to know them.
 */
@Injectable()
export class GrantRegistry {
  private readonly handlers = new Map<string, GrantHandler>();

  register(handler: GrantHandler): void {
    for (const type of handler.grantTypes) this.handlers.set(type, handler);
  }

  get supported(): string[] {
    return [...this.handlers.keys()];
  }

  resolve(grantType: string | undefined): GrantHandler {
    if (!grantType) {
      throw new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
        fields: [{ field: 'grant_type', problems: ['required'] }],
      });
    }
    const handler = this.handlers.get(grantType);
    if (!handler) throw new IdentityError(IdentityErrorCode.UNSUPPORTED_GRANT_TYPE);
    return handler;
  }
}

/** A grant that adds itself to the registry at start. */
export abstract class RegisteredGrant implements GrantHandler, OnModuleInit {
  abstract readonly grantTypes: readonly string[];

  constructor(private readonly registry: GrantRegistry) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  abstract handle(
    params: Readonly<Record<string, string>>,
    client: Application,
  ): Promise<TokenResponse>;
}

/** The requested scopes, which must all be allowed to the client; none requested means all allowed. */
export function grantedScopes(requested: string | undefined, allowed: string[]): string[] {
  if (requested === undefined || requested.trim() === '') return allowed;
  const scopes = [...new Set(requested.split(' ').filter(Boolean))];
  if (scopes.some((scope) => !allowed.includes(scope)))
    throw new IdentityError(IdentityErrorCode.INVALID_SCOPE);
  return scopes;
}

export function requireParam(params: Readonly<Record<string, string>>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') {
    throw new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
      fields: [{ field: name, problems: ['required'] }],
    });
  }
  return value;
}
