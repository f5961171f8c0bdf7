import type { Request, Response } from 'express';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import type { PolicyViolation } from '../../policy/password-policy.types';
import { IdaasErrorRenderer } from './idaas-error.renderer';
import {
  IDAAS_SDK_ERRORS,
  IDAAS_SDK_REASONS,
  type IdaasSdkReason,
  idaasSdkError,
} from './idaas.errors';

function render(
  api: 'tenant' | 'sdk',
  error: unknown,
  xL?: string,
): { status: number; body: unknown } {
  let status = 0;
  let text = '';
  const response = {
    headersSent: false,
    setHeader: () => undefined,
    status: (code: number) => (status = code),
    end: (chunk?: string) => (text = chunk ?? ''),
  } as unknown as Response;
  const request = {
    get: (name: string) => (name.toLowerCase() === 'x-l' ? xL : undefined),
  } as unknown as Request;
  new IdaasErrorRenderer(api).render(error, request, response);
  return { status, body: JSON.parse(text) as unknown };
}

const policy = (...violations: PolicyViolation[]) =>
  new IdentityError(IdentityErrorCode.PASSWORD_POLICY_VIOLATION, { violations });

describe(IdaasErrorRenderer.name, () => {
  it.each([
    [
      'sdk',
      policy({ rule: 'history', params: { count: 5 } }, { rule: 'same_as_current', params: {} }),
      'IDAAS.SDK.PARAM.0020',
      'The original password and the new password do not match',
    ],
    [
      'tenant',
      policy({ rule: 'same_as_current', params: {} }),
      'IDAAS.TENANT.PWD.0001',
      'The password is used before, cannot be used again',
    ],
    [
      'sdk',
      policy(
        { rule: 'common_password', params: {} },
        { rule: 'length', params: { min: 8, max: 20 } },
      ),
      'IDAAS.SDK.PWD.0007',
      'The password must contain 8 to 20 characters',
    ],
    [
      'tenant',
      policy({ rule: 'repeated_chars', params: { max: 3 } }),
      'IDAAS.TENANT.PWD.0006',
      'Number of character repeat in password should not exceed 3',
    ],
  ] as const)('should answer the first violation on %s as %s', (api, error, code, message) => {
    expect(render(api, error)).toEqual({
      status: 400,
      body: { error_code: code, error_msg: message },
    });
  });

  it.each([
    [IdentityErrorCode.TOKEN_INVALID, 'IDAAS.SDK.PARAM.0016', 'IdToken is invalid or expired'],
    [IdentityErrorCode.AUTHENTICATION_REQUIRED, 'IDAAS.SDK.PARAM.0015', 'IdToken cannot be empty'],
    [IdentityErrorCode.WRONG_PASSWORD, 'IDAAS.SDK.PWD.0008', 'The original password is incorrect'],
    [IdentityErrorCode.USER_FROZEN, 'IDAAS.SDK.USER.0002', 'User is disabled'],
    [IdentityErrorCode.OTP_CODE_INVALID, 'IDAAS.SDK.CAPTCHA.0007', 'Incorrect verification code'],
  ])('should answer %s on the SDK API as %s', (code, errorCode, message) => {
    expect(render('sdk', new IdentityError(code))).toEqual({
      status: 400,
      body: { error_code: errorCode, error_msg: message },
    });
  });

  it.each([
    IdentityErrorCode.AUTHENTICATION_REQUIRED,
    IdentityErrorCode.TOKEN_INVALID,
    IdentityErrorCode.INSUFFICIENT_SCOPE,
  ])('should answer %s on the tenant API as invalid_token', (code) => {
    expect(render('tenant', new IdentityError(code))).toEqual({
      status: 400,
      body: { error: 'invalid_token', error_description: 'Invalid access' },
    });
  });

  it('should answer a missing user on the tenant API as seed 002 does', () => {
    expect(render('tenant', new IdentityError(IdentityErrorCode.USER_NOT_FOUND))).toEqual({
      status: 400,
      body: { error_code: 'IDAAS.TENANT.USER.0001', error_msg: 'User not found' },
    });
  });

  it('should keep the status of a server failure and hide its message', () => {
    expect(render('sdk', new Error('db password is hunter2'))).toEqual({
      status: 500,
      body: { error_code: 'IDAAS.COMMON.0500', error_msg: 'Internal server error' },
    });
  });

  it.each<[IdaasSdkReason, IdentityErrorCode, string, string, string]>([
    [
      'device_info_missing',
      IdentityErrorCode.INVALID_ARGUMENT,
      'IDAAS.SDK.PARAM.0001',
      'Device information is incomplete',
      '设备信息不完整',
    ],
    [
      'client_id_missing',
      IdentityErrorCode.INVALID_ARGUMENT,
      'IDAAS.SDK.PARAM.0002',
      'clientId cannot be empty',
      'clientId不能为空',
    ],
    [
      'new_password_missing',
      IdentityErrorCode.INVALID_ARGUMENT,
      'IDAAS.SDK.PARAM.0019',
      'New password cannot be empty',
      '新密码不能为空',
    ],
    [
      'state_token_invalid',
      IdentityErrorCode.TOKEN_INVALID,
      'IDAAS.SDK.PARAM.0014',
      'Invalid state token',
      'stateToken无效',
    ],
  ])(
    'should word the reason %s over its code, in both languages',
    (reason, code, errorCode, en, zh) => {
      const error = idaasSdkError(code, reason);
      expect(render('sdk', error)).toEqual({
        status: 400,
        body: { error_code: errorCode, error_msg: en },
      });
      expect(render('sdk', error, 'zh-CN')).toEqual({
        status: 400,
        body: { error_code: errorCode, error_msg: zh },
      });
    },
  );

  it.each([undefined, 'en', 'EN-us', 'fr', 'z'])('should answer English for X-L %s', (xL) => {
    expect(render('sdk', new IdentityError(IdentityErrorCode.TOKEN_INVALID), xL)).toEqual({
      status: 400,
      body: { error_code: 'IDAAS.SDK.PARAM.0016', error_msg: 'IdToken is invalid or expired' },
    });
  });

  it.each(['zh', 'zh-CN', 'ZH_tw', ' zh'])('should answer Chinese for X-L %s', (xL) => {
    expect(render('sdk', new IdentityError(IdentityErrorCode.TOKEN_INVALID), xL)).toEqual({
      status: 400,
      body: { error_code: 'IDAAS.SDK.PARAM.0016', error_msg: 'IdToken无效或已过期' },
    });
  });

  it('should word policy violations in Chinese on the SDK API', () => {
    expect(render('sdk', policy({ rule: 'length', params: { min: 8, max: 20 } }), 'zh')).toEqual({
      status: 400,
      body: { error_code: 'IDAAS.SDK.PWD.0007', error_msg: '密码长度为8~20个字符' },
    });
  });

  it('should ignore a reason the SDK table does not know, and reasons on the tenant API', () => {
    const unknown = new IdentityError(IdentityErrorCode.TOKEN_INVALID, { idaas: 'toString' });
    expect(render('sdk', unknown)).toEqual({
      status: 400,
      body: { error_code: 'IDAAS.SDK.PARAM.0016', error_msg: 'IdToken is invalid or expired' },
    });
    expect(
      render('tenant', idaasSdkError(IdentityErrorCode.TOKEN_INVALID, 'id_token_invalid')),
    ).toEqual({
      status: 400,
      body: { error: 'invalid_token', error_description: 'Invalid access' },
    });
  });

  it.each(Object.values(IdentityErrorCode))(
    'should answer %s on the tenant API in Chinese under X-L zh-CN (or as invalid_token)',
    (code) => {
      const zh = render('tenant', new IdentityError(code), 'zh-CN').body as Record<string, string>;
      if ('error' in zh) {
        expect(zh).toEqual({ error: 'invalid_token', error_description: 'Invalid access' });
        return;
      }
      expect(zh.error_code).toMatch(/^IDAAS\.(TENANT\.)?[A-Z]+\.\d{4}$/);
      expect(zh.error_msg).toMatch(/[\u4e00-\u9fff]/);
      const en = render('tenant', new IdentityError(code), 'en').body as Record<string, string>;
      expect(en).toEqual({
        error_code: zh.error_code,
        error_msg: expect.not.stringMatching(/[\u4e00-\u9fff]/),
      });
    },
  );

  it('should have a Chinese twin for every SDK entry and reason', () => {
    for (const entry of [...Object.values(IDAAS_SDK_ERRORS), ...Object.values(IDAAS_SDK_REASONS)])
      expect(entry.zh).toMatch(/[\u4e00-\u9fff]/);
  });
});
