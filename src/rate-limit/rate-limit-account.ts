import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { Request } from 'express';
import type { Principal } from '../auth/principal';

/** A request as the rate-limit guard sees it: after authentication, before the pipes. */
export type RateLimitedRequest = Request & { user?: Principal };

/**
 * What a route names as the account it acts on (a username, email, phone number or user id), read
 * from the raw request; anything but a non-empty string counts as no account (the IP limit still
 * applies).
 */
export type AccountOf = (request: RateLimitedRequest) => unknown;

/** The first of `fields` in the body that is a string. */
export const bodyField =
  (...fields: string[]): AccountOf =>
  (request) => {
    const body: unknown = request.body;
    if (typeof body !== 'object' || body === null) return undefined;
    const record = body as Record<string, unknown>;
    return fields.map((field) => record[field]).find((value) => typeof value === 'string');
  };

/** A route parameter (`/users/:user_id/...`). */
export const pathParam =
  (name: string): AccountOf =>
  (request) =>
    request.params[name];

/** The user a bearer, auth or state token established. */
export const signedInUser: AccountOf = (request) =>
  request.user?.kind === 'user' ? request.user.userId : undefined;

/** The first account any of `sources` names. */
export const firstAccount =
  (...sources: AccountOf[]): AccountOf =>
  (request) =>
    sources.map((source) => source(request)).find((value) => typeof value === 'string' && value);

/**
 * One key per account however the client spells it: NFKC, trimmed, case-folded; a phone number in
 * E.164 (read in `region` without `+`), so `138 0013 8000` and `+8613800138000` share a limit.
 * Undefined for nothing usable.
 */
export function accountKey(raw: unknown, region: string): string | undefined {
  if (typeof raw !== 'string') return undefined;
  // Bounded: the key is hashed anyway, and no identifier is longer than an email address.
  const value = raw.normalize('NFKC').trim().slice(0, 320);
  if (value === '') return undefined;
  if (!value.includes('@') && /^\+?[\d\s().-]+$/.test(value)) {
    const phone = parsePhoneNumberFromString(value, region as CountryCode);
    if (phone?.isValid()) return phone.number;
  }
  return value.toLowerCase();
}
