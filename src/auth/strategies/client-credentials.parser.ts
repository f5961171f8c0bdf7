/** Client credentials as presented, before they are checked. */
export interface PresentedClientCredentials {
  clientId: string;
  clientSecret?: string;
  /** Where they came from; both at once is an error (RFC 6749 §2.3). */
  source: 'basic' | 'body';
}

/** `application/x-www-form-urlencoded` decoding: `+` is a space, then %XX (RFC 6749 §2.3.1, Appendix B). */
export function formUrlDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/**
 * Reads `Authorization: Basic` as RFC 6749 §2.3.1 defines it for OAuth clients: base64 of
 * form-urlencoded client_id, a colon, form-urlencoded client_secret. Splits on the FIRST colon (an
 * encoded id cannot contain one; a raw secret might) and decodes both halves, so secrets with
 * `:` `+` `%` spaces or non-ASCII work. Returns null when there is no Basic header; throws on a
 * malformed one.
 */
export function parseBasicClientCredentials(
  header: string | undefined,
): PresentedClientCredentials | null {
  if (!header) return null;
  const match = /^Basic[ ]+([A-Za-z0-9+/=_-]*)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new Error('malformed Basic credentials');
  return {
    clientId: formUrlDecode(decoded.slice(0, colon)),
    clientSecret: formUrlDecode(decoded.slice(colon + 1)),
    source: 'basic',
  };
}
