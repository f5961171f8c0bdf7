/**
 * `details.reason` of an INVALID_ARGUMENT that dialects word on their own, because the generic
 * "malformed request" would not tell the client what to change.
 */
export const CLIENT_AUTHENTICATED_TWICE = 'client authenticated twice';

/** The English wording of those reasons, for dialects whose errors carry a description. */
export const INVALID_ARGUMENT_DESCRIPTIONS: Readonly<Record<string, string>> = {
  [CLIENT_AUTHENTICATED_TWICE]:
    'The client authenticated twice: HTTP Basic and client_secret (or another client_id) in the ' +
    'body. Use one method (RFC 6749 §2.3).',
};

/** The description of `details.reason` when it is one of the reasons above. */
export function invalidArgumentDescription(details: Record<string, unknown>): string | undefined {
  const reason = details.reason;
  return typeof reason === 'string' && Object.hasOwn(INVALID_ARGUMENT_DESCRIPTIONS, reason)
    ? INVALID_ARGUMENT_DESCRIPTIONS[reason]
    : undefined;
}
