import type { Request, Response } from 'express';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import type { PolicyViolation } from '../../policy/password-policy.types';
import { HuaweiIamErrorRenderer } from './huawei-iam-error.renderer';

function render(error: unknown): {
  status: number;
  body: unknown;
  headers: Record<string, string>;
} {
  const headers: Record<string, string> = {};
  let status = 0;
  let text = '';
  const response = {
    headersSent: false,
    setHeader: (name: string, value: string) => (headers[name] = value),
    status: (code: number) => (status = code),
    end: (chunk?: string) => (text = chunk ?? ''),
  } as unknown as Response;
  const request = {
    protocol: 'https',
    get: (name: string) => (name.toLowerCase() === 'host' ? 'iam.example.com' : undefined),
  } as unknown as Request;
  new HuaweiIamErrorRenderer().render(error, request, response);
  return { status, body: text ? JSON.parse(text) : undefined, headers };
}

const policy = (...violations: PolicyViolation[]) =>
  new IdentityError(IdentityErrorCode.PASSWORD_POLICY_VIOLATION, { violations });

describe(HuaweiIamErrorRenderer.name, () => {
  it.each([
    [
      'same_as_current first (1108)',
      policy({ rule: 'history', params: { count: 5 } }, { rule: 'same_as_current', params: {} }),
      '1108',
      'The new password cannot be the same as the original password.',
    ],
    [
      'a common password (1118)',
      policy({ rule: 'common_password', params: {} }),
      '1118',
      'The password is too weak.',
    ],
    [
      'common_password before the other content rules (1118)',
      policy(
        { rule: 'length', params: { min: 8, max: 64 } },
        { rule: 'common_password', params: {} },
      ),
      '1118',
      'The password is too weak.',
    ],
    [
      'same_as_current before common_password (1108)',
      policy({ rule: 'common_password', params: {} }, { rule: 'same_as_current', params: {} }),
      '1108',
      'The new password cannot be the same as the original password.',
    ],
    [
      'history (1103)',
      policy({ rule: 'history', params: { count: 5 } }),
      '1103',
      'The password cannot be the same as any of the last 5 passwords.',
    ],
  ])('should answer %s with its IAM code in both places', (_name, error, code, message) => {
    expect(render(error)).toEqual({
      status: 400,
      body: {
        error: { code, title: 'Bad Request', message },
        error_code: code,
        error_msg: message,
      },
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
  });

  it('should name the invalid fields under 1100', () => {
    const error = new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
      fields: [{ field: 'user.password', problems: ['user.password must be a string'] }],
    });
    expect(render(error).body).toEqual({
      error: {
        code: '1100',
        title: 'Bad Request',
        message: 'Missing or invalid parameter: user.password.',
      },
      error_code: '1100',
      error_msg: 'Missing or invalid parameter: user.password.',
    });
  });

  it.each([
    [IdentityErrorCode.WRONG_PASSWORD, 401, 'Unauthorized', 'The original password is incorrect.'],
    [
      IdentityErrorCode.FORBIDDEN,
      403,
      'Forbidden',
      'You are not authorized to perform the requested action.',
    ],
    [IdentityErrorCode.USER_LOCKED, 403, 'Forbidden', 'The account is locked.'],
    [IdentityErrorCode.PAYLOAD_TOO_LARGE, 413, 'Request Entity Too Large', 'Request is too large.'],
  ])('should answer %s in Keystone’s shape with status %s', (code, status, title, message) => {
    const result = render(new IdentityError(code));
    expect({ status: result.status, body: result.body }).toEqual({
      status,
      body: { error: { code: status, title, message } },
    });
  });

  it('should name Keystone in the challenge of a 401', () => {
    expect(render(new IdentityError(IdentityErrorCode.TOKEN_INVALID)).headers).toMatchObject({
      'WWW-Authenticate': 'Keystone uri="https://iam.example.com/v3"',
    });
  });

  it('should send Allow with a 405', () => {
    const error = new IdentityError(IdentityErrorCode.METHOD_NOT_ALLOWED, {
      allow: ['GET', 'HEAD'],
    });
    expect(render(error).headers).toMatchObject({ Allow: 'GET, HEAD' });
  });

  it('should hide the message of an unexpected error', () => {
    expect(JSON.stringify(render(new Error('db password is hunter2')).body)).not.toContain(
      'hunter2',
    );
  });
});
