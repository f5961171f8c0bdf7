import type { Request, Response } from 'express';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import { shedWhenSaturated } from './shed-when-saturated.middleware';

describe('shedWhenSaturated', () => {
  const run = (saturated: boolean, method: string, path: string): unknown => {
    let passed: unknown = 'not called';
    shedWhenSaturated({ saturated })(
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
