import type { NextFunction, Request, Response } from 'express';
import { IdentityError, IdentityErrorCode } from '../errors/identity-error';

/** What the JSON body parser parses (app.setup.ts registers it with exactly these). */
export const JSON_MEDIA_TYPES: readonly string[] = ['application/json', 'application/*+json'];
/** What the form body parser parses. */
export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/**
 * The routes that also take a form body: the OAuth endpoints, where RFC 6749 §4/§2.3.1 and RFC 7009
 * §2.1 make it the norm (OIDC Core §5.3.1 for the POST userinfo), and the IDaaS tenant token
 * endpoint, which OAuth client libraries call the same way. Every other route takes JSON only.
 */
export const FORM_BODY_PATHS: ReadonlySet<string> = new Set([
  '/oauth2/token',
  '/oauth2/revoke',
  '/oauth2/userinfo',
  '/api/v2/tenant/token',
]);

/**
 * Whether the request carries a body: any `Transfer-Encoding`, or a `Content-Length` above 0.
 * (type-is counts `Content-Length: 0` as a body; a bodiless PATCH or POST must stay valid.)
 */
export function hasBody(request: Request): boolean {
  if (request.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(request.headers['content-length']);
  return Number.isFinite(length) && length > 0;
}

/** The media types the body parsers accept on `path`: JSON, plus form on `FORM_BODY_PATHS`. */
export function acceptedMediaTypes(path: string): readonly string[] {
  const route = path.toLowerCase().replace(/\/+$/, '');
  return FORM_BODY_PATHS.has(route) ? [...JSON_MEDIA_TYPES, FORM_MEDIA_TYPE] : JSON_MEDIA_TYPES;
}

/**
 * Runs before the body parsers: a body in a media type they do not parse on this route
 * (`text/plain`, multipart, none at all) is refused as UNSUPPORTED_MEDIA_TYPE (415, in the dialect
 * of the path). Without it such a body is skipped by every parser and reaches the controller as
 * `{}` — an empty update that answers 200.
 */
export function requireSupportedMediaType() {
  return (request: Request, _response: Response, next: NextFunction): void => {
    if (hasBody(request) && !request.is([...acceptedMediaTypes(request.path)])) {
      next(new IdentityError(IdentityErrorCode.UNSUPPORTED_MEDIA_TYPE));
      return;
    }
    next();
  };
}
