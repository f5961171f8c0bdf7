import { IdentityErrorCode } from './identity-error-code';

/** The one error type of the domain. Dialect filters turn it into wire errors. */
export class IdentityError extends Error {
  constructor(
    readonly code: IdentityErrorCode,
    readonly details: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = 'IdentityError';
  }
}

export { IdentityErrorCode };
