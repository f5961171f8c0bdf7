import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import type { ClientPrincipal, Principal, UserPrincipal } from '../principal';

function principalOf(context: ExecutionContext): Principal {
  const principal = context.switchToHttp().getRequest<Request & { user?: Principal }>().user;
  if (!principal) throw new IdentityError(IdentityErrorCode.AUTHENTICATION_REQUIRED);
  return principal;
}

/** The authenticated user; fails with TOKEN_INVALID when the caller is a client, not a user. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): UserPrincipal => {
    const principal = principalOf(context);
    if (principal.kind !== 'user') throw new IdentityError(IdentityErrorCode.TOKEN_INVALID);
    return principal;
  },
);

/** The authenticated client. */
export const CurrentClient = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ClientPrincipal => {
    const principal = principalOf(context);
    if (principal.kind !== 'client')
      throw new IdentityError(IdentityErrorCode.CLIENT_AUTHENTICATION_FAILED);
    return principal;
  },
);
