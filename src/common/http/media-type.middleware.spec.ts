import type { NextFunction, Request, Response } from 'express';
import { IdentityError, IdentityErrorCode } from '../errors/identity-error';
import { acceptedMediaTypes, hasBody, requireSupportedMediaType } from './media-type.middleware';

/** A request as Express sees it, with `is()` as Express implements it (type-is). */
function fakeRequest(path: string, headers: Record<string, string>): Request {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const typeis = require('type-is') as (req: unknown, types: string[]) => string | false | null;
  const request = { path, headers } as unknown as Request;
  request.is = (types: string[]) => typeis(request, types);
  return request;
}

function run(path: string, headers: Record<string, string>): unknown {
  let passed: unknown = 'not called';
  const next: NextFunction = (error?: unknown) => {
    passed = error;
  };
  requireSupportedMediaType()(fakeRequest(path, headers), {} as Response, next);
  return passed;
}

describe(requireSupportedMediaType.name, () => {
  it.each([
    ['/admin/users/1', { 'content-type': 'application/json', 'content-length': '2' }],
    [
      '/admin/users/1',
      { 'content-type': 'application/json; charset=utf-8', 'content-length': '2' },
    ],
    ['/v3/auth/tokens', { 'content-type': 'application/vnd.api+json', 'content-length': '2' }],
    [
      '/oauth2/token',
      { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '3' },
    ],
    [
      '/OAuth2/Token/',
      { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '3' },
    ],
    ['/admin/users/1', { 'content-length': '0' }],
    ['/admin/users/1', { 'content-type': 'text/plain', 'content-length': '0' }],
    ['/admin/users/1', {}],
  ])('should let %s %j through', async (path, headers) => {
    await expect(Promise.resolve(run(path, headers))).resolves.toBeUndefined();
  });

  it.each([
    ['/admin/users/1', { 'content-type': 'text/plain', 'content-length': '2' }],
    [
      '/admin/users/1',
      { 'content-type': 'multipart/form-data; boundary=x', 'content-length': '9' },
    ],
    ['/admin/users/1', { 'content-length': '2' }],
    ['/admin/users/1', { 'transfer-encoding': 'chunked' }],
    [
      '/admin/users/1',
      { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '3' },
    ],
    [
      '/change_user_password',
      { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '3' },
    ],
    ['/oauth2/token', { 'content-type': 'text/plain', 'content-length': '3' }],
  ])('should refuse %s %j as UNSUPPORTED_MEDIA_TYPE', async (path, headers) => {
    const passed = run(path, headers);
    expect(passed).toBeInstanceOf(IdentityError);
    await expect(Promise.resolve((passed as IdentityError).code)).resolves.toBe(
      IdentityErrorCode.UNSUPPORTED_MEDIA_TYPE,
    );
  });

  it('should take form bodies only on the OAuth endpoints and the IDaaS tenant token', async () => {
    await expect(Promise.resolve(acceptedMediaTypes('/oauth2/revoke'))).resolves.toContain(
      'application/x-www-form-urlencoded',
    );
    expect(acceptedMediaTypes('/api/v2/tenant/token')).toContain(
      'application/x-www-form-urlencoded',
    );
    expect(acceptedMediaTypes('/api/v2/sdk/login')).not.toContain(
      'application/x-www-form-urlencoded',
    );
  });

  it('should count neither an absent nor a zero Content-Length as a body', async () => {
    await expect(Promise.resolve(hasBody(fakeRequest('/', {})))).resolves.toBe(false);
    expect(hasBody(fakeRequest('/', { 'content-length': '0' }))).toBe(false);
    expect(hasBody(fakeRequest('/', { 'content-length': '1' }))).toBe(true);
  });
});
