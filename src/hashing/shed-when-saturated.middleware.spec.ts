import type { Request, Response } from 'express';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import {
  shedPasswordGrantsWhenSaturated,
  shedWhenSaturated,
} from './shed-when-saturated.middleware';

describe('shedWhenSaturated', () => {
  const run = (saturated: boolean, method: string, path: string): unknown => {
    let passed: unknown = 'not called';
    shedWhenSaturated({ saturated }, ['/v3/auth/tokens', '/api/v2/sdk/login'])(
      { method, path } as Request,
      {} as Response,
      (error?: unknown) => {
        passed = error;
      },
    );
    return passed;
  };

  it('should refuse a sign-in with SERVICE_BUSY while the bcrypt queue is full', () => {
    for (const path of ['/v3/auth/tokens', '/api/v2/sdk/login', '/V3/auth/tokens/']) {
      const error = run(true, 'POST', path);
      expect(error).toBeInstanceOf(IdentityError);
      expect((error as IdentityError).code).toBe(IdentityErrorCode.SERVICE_BUSY);
      expect((error as IdentityError).details).toEqual({ retryAfterSeconds: 1 });
    }
  });

  it('should let everything else through, and sign-ins while there is room', () => {
    expect(run(false, 'POST', '/v3/auth/tokens')).toBeUndefined();
    expect(run(true, 'GET', '/v3/auth/tokens')).toBeUndefined();
    expect(run(true, 'POST', '/oauth2/token')).toBeUndefined();
    expect(run(true, 'GET', '/health/live')).toBeUndefined();
  });
});

describe('shedPasswordGrantsWhenSaturated', () => {
  const run = (saturated: boolean, path: string, body: unknown, method = 'POST'): unknown => {
    let passed: unknown = 'not called';
    shedPasswordGrantsWhenSaturated({ saturated })(
      { method, path, body } as Request,
      {} as Response,
      (error?: unknown) => {
        passed = error;
      },
    );
    return passed;
  };

  it('should refuse a password grant with SERVICE_BUSY while the bcrypt queue is full', () => {
    for (const path of ['/oauth2/token', '/OAuth2/Token/']) {
      const error = run(true, path, { grant_type: 'password', username: 'a', password: 'b' });
      expect(error).toBeInstanceOf(IdentityError);
      expect((error as IdentityError).code).toBe(IdentityErrorCode.SERVICE_BUSY);
      expect((error as IdentityError).details).toEqual({ retryAfterSeconds: 1 });
    }
  });

  it('should let other grants, other routes and password grants with room through', () => {
    expect(run(false, '/oauth2/token', { grant_type: 'password' })).toBeUndefined();
    expect(run(true, '/oauth2/token', { grant_type: 'client_credentials' })).toBeUndefined();
    expect(run(true, '/oauth2/token', { grant_type: 'refresh_token' })).toBeUndefined();
    expect(run(true, '/oauth2/token', undefined)).toBeUndefined();
    expect(run(true, '/oauth2/revoke', { grant_type: 'password' })).toBeUndefined();
    expect(run(true, '/oauth2/token', { grant_type: 'password' }, 'GET')).toBeUndefined();
  });
});
