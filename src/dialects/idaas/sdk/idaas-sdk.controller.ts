import { Body, Controller, Get, Headers, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ApplicationsService } from '../../../applications/applications.service';
import { CurrentClient, CurrentUser } from '../../../auth/decorators/current-principal.decorator';
import type { ClientPrincipal, Principal, UserPrincipal } from '../../../auth/principal';
import { StateTokenService } from '../../../auth/tokens/state-token.service';
import { TokenService } from '../../../auth/tokens/token.service';
import { IdentityError, IdentityErrorCode } from '../../../common/errors/identity-error';
import { ApiRateLimited } from '../../../common/http/api-errors.decorator';
import { languageOf } from '../../../common/i18n/message-table';
import { AppConfig } from '../../../config/app.config';
import { ChangePasswordWithOtpUseCase } from '../../../credentials/use-cases/change-password-with-otp.use-case';
import { ChangePasswordUseCase } from '../../../credentials/use-cases/change-password.use-case';
import { ResetPasswordWithOtpUseCase } from '../../../credentials/use-cases/reset-password-with-otp.use-case';
import { SendOneTimeCodeUseCase } from '../../../credentials/use-cases/send-one-time-code.use-case';
import {
  type SignInResult,
  SignInWithPasswordUseCase,
} from '../../../credentials/use-cases/sign-in-with-password.use-case';
import type { OtpChannel } from '../../../otp/otp-challenge.entity';
import type { PasswordPolicy } from '../../../policy/password-policy.types';
import type { User } from '../../../users/user.entity';
import { UsersService } from '../../../users/users.service';
import { idaasSdkError } from '../idaas.errors';
import { IDAAS_OTP_USAGE_MAP } from '../idaas-otp-usage.map';
import { IdaasLoginRequest } from './dto/idaas-login.request';
import {
  IdaasCheckExistResponse,
  IdaasPasswordStateResponse,
  IdaasSessionResponse,
} from './dto/idaas-login.response';
import { IdaasChangePasswordRequest } from './dto/idaas-password.request';
import { IdaasSendEmailRequest, IdaasSendSmsRequest } from './dto/idaas-send-code.request';
import {
  IdaasUpdateByEmailRequest,
  IdaasUpdateByMobileRequest,
} from './dto/idaas-update-by-code.request';
import { EmptyJsonResponse } from './empty-json-response.interceptor';
import { IdaasSdkApi, IdaasSdkAuth } from './idaas-sdk-api.decorator';
import { RateLimit } from '../../../rate-limit/rate-limit.decorator';
import { bodyField, firstAccount, signedInUser } from '../../../rate-limit/rate-limit-account';

const error = (error_code: string, error_msg: string) => ({
  schema: { example: { error_code, error_msg } },
});

/** The errors every SDK route may answer before its own (seed 004's header checks). */
const HEADER_ERRORS = 'IDAAS.SDK.PARAM.0001 (device headers) | PARAM.0002 | PARAM.0003';
const ID_TOKEN_ERRORS = `${HEADER_ERRORS} | PARAM.0015 | PARAM.0016`;
const POLICY_ERRORS = 'IDAAS.SDK.PWD.0001–0007 (policy and history, first violation) | PWD.0009';

/** The scopes a login asks for: always `openid` (the SDK's id_token), plus what the app may have. */
const LOGIN_SCOPES = ['profile', 'email', 'phone'];

/**
 * The policy in the vendor's style: camelCase keys, as one JSON string (IDaaS SDK login's `data`).
 */
function policyData(policy: PasswordPolicy): string {
  return JSON.stringify({
    minLength: policy.min_length,
    maxLength: policy.max_length,
    minCharacterClasses: policy.min_character_classes,
    forbidUsername: policy.forbid_username,
    forbidPersonalInfo: policy.forbid_personal_info,
    maxRepeatedChars: policy.max_repeated_chars,
    blockCommonPasswords: policy.block_common_passwords,
    historyCount: policy.history_count,
    maxAgeDays: policy.max_age_days,
    expiryWarnDays: policy.expiry_warn_days,
    minAgeMinutes: policy.min_age_minutes,
  });
}

/** `''` and absent alike: the vendor's "cannot be empty". */
const isBlank = (value: string | undefined): boolean => value === undefined || value === '';

/**
 * The IDaaS SDK API (API.md §3, seed 004): login with forced and suggested password changes,
 * change with or without the current password, and codes by SMS and email for change and
 * forgotten password. Every route first runs the SDK's header checks (`idaas-sdk-auth.schemes.ts`).
 */
/** The SDK's password sign-in (`POST`, below): shed while the bcrypt queue is full (app.setup.ts). */
export const IDAAS_SDK_SIGN_IN_PATH = '/api/v2/sdk/login';

@IdaasSdkApi()
@ApiExtraModels(IdaasSessionResponse, IdaasPasswordStateResponse)
@Controller('api/v2/sdk')
export class IdaasSdkController {
  constructor(
    private readonly config: AppConfig,
    private readonly applications: ApplicationsService,
    private readonly tokens: TokenService,
    private readonly stateTokens: StateTokenService,
    private readonly users: UsersService,
    private readonly signIn: SignInWithPasswordUseCase,
    private readonly changePassword: ChangePasswordUseCase,
    private readonly changeWithOtp: ChangePasswordWithOtpUseCase,
    private readonly resetWithOtp: ResetPasswordWithOtpUseCase,
    private readonly sendCode: SendOneTimeCodeUseCase,
  ) {}

  /** IDaaS SDK "Password Login". */
  @Post('login')
  @HttpCode(200)
  @RateLimit({ account: bodyField('user_name') })
  @IdaasSdkAuth('none')
  @ApiOperation({
    summary: 'Sign in with a username, email or mobile number and a password',
    description:
      'SUCCESS: `{session_token, expire, status, id_token}`. A password that must be changed (set by an ' +
      'administrator, or expired) answers PASSWORD_EXPIRED, one expiring within `expiry_warn_days` ' +
      'PASSWORD_WARN, each with a single-use `state_token` and the policy as a JSON string in `data`. ' +
      'An unknown user, a wrong password and a frozen or locked user get the same IDAAS.SDK.LOGIN.0001.',
  })
  @ApiRateLimited()
  @ApiBody({ type: IdaasLoginRequest })
  @ApiOkResponse({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(IdaasSessionResponse) },
        { $ref: getSchemaPath(IdaasPasswordStateResponse) },
      ],
    },
  })
  @ApiBadRequestResponse({
    description: `${HEADER_ERRORS} | IDAAS.SDK.LOGIN.0001 | IDAAS.SDK.COMMON.0001`,
    ...error('IDAAS.SDK.LOGIN.0001', 'Incorrect username or password'),
  })
  async login(
    @CurrentClient() client: ClientPrincipal,
    @Body() body: IdaasLoginRequest,
  ): Promise<IdaasSessionResponse | IdaasPasswordStateResponse> {
    const result = await this.signIn.execute({
      identifier: { login: body.user_name },
      password: body.password,
      clientId: client.clientId,
    });
    switch (result.passwordState) {
      case 'must_change':
      case 'expired':
        return this.passwordState('PASSWORD_EXPIRED', result, client.clientId);
      case 'expiring':
        return this.passwordState('PASSWORD_WARN', result, client.clientId);
      case 'ok':
        return this.session(result.user, client.clientId);
    }
  }

  /** IDaaS SDK "Forced Password Change" after a PASSWORD_EXPIRED or PASSWORD_WARN login. */
  @Post('pwd/update')
  @HttpCode(200)
  @RateLimit({ account: signedInUser })
  @IdaasSdkAuth('state-token')
  @ApiOperation({
    summary: 'Change the password with the state token of a login, and sign in',
    description:
      'Spends the state token with the change (single use); answers the SUCCESS login result. Every ' +
      'earlier token of the user is revoked.',
  })
  @ApiRateLimited()
  @ApiBody({ type: IdaasChangePasswordRequest })
  @ApiOkResponse({ type: IdaasSessionResponse })
  @ApiBadRequestResponse({
    description:
      `${HEADER_ERRORS} | PARAM.0014 (state token bad, used or expired) | PARAM.0018 | PARAM.0019 | ` +
      `PARAM.0020 | PWD.0008 | USER.0002 | USER.0003 | ${POLICY_ERRORS}`,
    ...error('IDAAS.SDK.PARAM.0014', 'Invalid state token'),
  })
  async update(
    @CurrentUser() principal: UserPrincipal,
    @Body() body: IdaasChangePasswordRequest,
  ): Promise<IdaasSessionResponse> {
    const newPassword = await this.assertPasswordFields(principal.userId, body);
    let user: User;
    try {
      user = await this.changePassword.execute({
        userId: principal.userId,
        currentPassword: body.old_password,
        newPassword,
        clientId: principal.clientId,
        stateTokenDigest: principal.stateTokenDigest,
      });
    } catch (caught) {
      // The token was spent by a concurrent request between the guard and the write.
      if (caught instanceof IdentityError && caught.code === IdentityErrorCode.TOKEN_INVALID)
        throw idaasSdkError(IdentityErrorCode.INVALID_GRANT, 'state_token_invalid');
      throw caught;
    }
    return this.session(user, principal.clientId);
  }

  /** IDaaS SDK "Skip Forced Password Change" (PASSWORD_WARN only). */
  @Get('pwd/skip-update')
  @IdaasSdkAuth('state-token')
  @ApiOperation({
    summary: 'Keep the expiring password and sign in',
    description:
      'Only with the state token of a PASSWORD_WARN login (a PASSWORD_EXPIRED one answers PARAM.0014); ' +
      'spends it and answers the SUCCESS login result.',
  })
  @ApiOkResponse({ type: IdaasSessionResponse })
  @ApiBadRequestResponse({
    description: `${HEADER_ERRORS} | PARAM.0014 | USER.0002 | USER.0003`,
    ...error('IDAAS.SDK.PARAM.0014', 'Invalid state token'),
  })
  async skipUpdate(@CurrentUser() principal: UserPrincipal): Promise<IdaasSessionResponse> {
    const user = await this.users.require(principal.userId);
    this.users.assertActive(user);
    try {
      // Only a PASSWORD_WARN token may skip; one conditional UPDATE checks and spends it.
      await this.stateTokens.spend(principal.stateTokenDigest ?? '', { purpose: 'password_warn' });
    } catch {
      throw idaasSdkError(IdentityErrorCode.INVALID_GRANT, 'state_token_invalid');
    }
    return this.session(user, principal.clientId);
  }

  /** IDaaS SDK "Check If Personal Password Is Set". */
  @Get('pwd/check-exist')
  @IdaasSdkAuth('id-token')
  @ApiOperation({ summary: 'Whether the signed-in user has a password' })
  @ApiOkResponse({ type: IdaasCheckExistResponse })
  @ApiBadRequestResponse({
    description: ID_TOKEN_ERRORS,
    ...error('IDAAS.SDK.PARAM.0016', 'IdToken is invalid or expired'),
  })
  async checkExist(@CurrentUser() principal: UserPrincipal): Promise<IdaasCheckExistResponse> {
    const user = await this.users.require(principal.userId);
    return { is_set_pwd: user.passwordHash !== null };
  }

  /** IDaaS SDK "Change Personal Password Using Current Password" (seed 004). */
  @Post('pwd/change')
  @HttpCode(200)
  @RateLimit({ account: signedInUser })
  @EmptyJsonResponse()
  @IdaasSdkAuth('id-token')
  @ApiOperation({
    summary: 'Change the password of the signed-in user',
    description:
      '`old_password` is required only when the user has a password (first check `pwd/check-exist`). ' +
      'Success: 200, `Content-Type: application/json`, no body; every token of the user, in every ' +
      'dialect, is revoked. A wrong old password counts towards lockout.',
  })
  @ApiRateLimited()
  @ApiBody({ type: IdaasChangePasswordRequest })
  @ApiOkResponse({ description: 'Password changed (empty body)' })
  @ApiBadRequestResponse({
    description:
      `${ID_TOKEN_ERRORS} | PARAM.0018 | PARAM.0019 | PARAM.0020 | ${POLICY_ERRORS} | ` +
      'PWD.0008 ("The original password is incorrect") | USER.0002 ("User is disabled") | USER.0003 ("User is locked")',
    ...error('IDAAS.SDK.PARAM.0016', 'IdToken is invalid or expired'),
  })
  async change(
    @CurrentUser() principal: UserPrincipal,
    @Body() body: IdaasChangePasswordRequest,
  ): Promise<void> {
    const newPassword = await this.assertPasswordFields(principal.userId, body);
    await this.changePassword.execute({
      userId: principal.userId,
      currentPassword: body.old_password,
      newPassword,
      clientId: principal.clientId,
    });
  }

  /** IDaaS SDK "Send SMS Verification Code". */
  @Post('sms/send')
  @HttpCode(200)
  @RateLimit({ account: firstAccount(bodyField('mobile'), signedInUser) })
  @EmptyJsonResponse()
  @IdaasSdkAuth('none')
  @ApiOperation({
    summary: 'Send a code by SMS for a password change or a forgotten password',
    description:
      'Types UPDATE_PWD_SMS (then update-by-mobile with a Bearer id_token) and FORGET_PWD_SMS (then ' +
      'update-by-mobile with `mobile`). At most one code per number and type every 60 s. A number ' +
      'without an account gets the same answer and no message. Success: 200, empty body.',
  })
  @ApiRateLimited()
  @ApiBody({ type: IdaasSendSmsRequest })
  @ApiOkResponse({ description: 'Code sent (empty body)' })
  @ApiBadRequestResponse({
    description: `${HEADER_ERRORS} | IDAAS.SDK.COMMON.0001 (bad mobile or type) | CAPTCHA.0429 (too often; Retry-After)`,
    ...error('IDAAS.SDK.COMMON.0001', 'Invalid request parameter: type'),
  })
  async sendSms(
    @CurrentClient() client: ClientPrincipal,
    @Body() body: IdaasSendSmsRequest,
    @Headers('x-l') language?: string,
  ): Promise<void> {
    await this.send(client, 'sms', body.mobile, body.type, 'mobile', language);
  }

  /** IDaaS SDK "Send Email Verification Code". */
  @Post('email/send')
  @HttpCode(200)
  @RateLimit({ account: firstAccount(bodyField('email'), signedInUser) })
  @EmptyJsonResponse()
  @IdaasSdkAuth('none')
  @ApiOperation({
    summary: 'Send a code by email for a password change or a forgotten password',
    description:
      'Types UPDATE_PWD_EMS and FORGET_PWD_EMS, as sms/send. An address without an account gets the ' +
      'same answer and no message. Success: 200, empty body.',
  })
  @ApiRateLimited()
  @ApiBody({ type: IdaasSendEmailRequest })
  @ApiOkResponse({ description: 'Code sent (empty body)' })
  @ApiBadRequestResponse({
    description: `${HEADER_ERRORS} | IDAAS.SDK.COMMON.0001 (bad email or type) | CAPTCHA.0429 (too often; Retry-After)`,
    ...error('IDAAS.SDK.COMMON.0001', 'Invalid request parameter: type'),
  })
  async sendEmail(
    @CurrentClient() client: ClientPrincipal,
    @Body() body: IdaasSendEmailRequest,
    @Headers('x-l') language?: string,
  ): Promise<void> {
    await this.send(client, 'email', body.email, body.type, 'email', language);
  }

  /** IDaaS SDK "Change Password via Mobile Number" and "Forgot Password" by mobile. */
  @Post('pwd/update-by-mobile')
  @HttpCode(200)
  @RateLimit({ account: firstAccount(signedInUser, bodyField('mobile')) })
  @EmptyJsonResponse()
  @IdaasSdkAuth('optional-id-token')
  @ApiOperation({
    summary: 'Set a new password with a code sent by SMS',
    description:
      'With `Authorization: Bearer {id_token}`: the signed-in user changes the password with an ' +
      "UPDATE_PWD_SMS code sent to the account's own number. Without it: forgot password, with " +
      '`mobile` and a FORGET_PWD_SMS code. Every token of the user is revoked. Success: 200, empty body.',
  })
  @ApiRateLimited()
  @ApiBody({ type: IdaasUpdateByMobileRequest })
  @ApiOkResponse({ description: 'Password set (empty body)' })
  @ApiBadRequestResponse({
    description: `${ID_TOKEN_ERRORS} | CAPTCHA.0007 (wrong, used or expired code) | PARAM.0019 | ${POLICY_ERRORS} | USER.0002 | USER.0003`,
    ...error('IDAAS.SDK.CAPTCHA.0007', 'Incorrect verification code'),
  })
  async updateByMobile(
    @Req() request: Request & { user?: Principal },
    @Body() body: IdaasUpdateByMobileRequest,
  ): Promise<void> {
    await this.updateByCode(request.user, 'sms', body.mobile, 'mobile', body);
  }

  /** IDaaS SDK "Change Password via Email" and "Forgot Password" by email. */
  @Post('pwd/update-by-email')
  @HttpCode(200)
  @RateLimit({ account: firstAccount(signedInUser, bodyField('email')) })
  @EmptyJsonResponse()
  @IdaasSdkAuth('optional-id-token')
  @ApiOperation({
    summary: 'Set a new password with a code sent by email',
    description:
      'As update-by-mobile, with UPDATE_PWD_EMS / FORGET_PWD_EMS codes and `email`. Success: 200, empty body.',
  })
  @ApiRateLimited()
  @ApiBody({ type: IdaasUpdateByEmailRequest })
  @ApiOkResponse({ description: 'Password set (empty body)' })
  @ApiBadRequestResponse({
    description: `${ID_TOKEN_ERRORS} | CAPTCHA.0007 (wrong, used or expired code) | PARAM.0019 | ${POLICY_ERRORS} | USER.0002 | USER.0003`,
    ...error('IDAAS.SDK.CAPTCHA.0007', 'Incorrect verification code'),
  })
  async updateByEmail(
    @Req() request: Request & { user?: Principal },
    @Body() body: IdaasUpdateByEmailRequest,
  ): Promise<void> {
    await this.updateByCode(request.user, 'email', body.email, 'email', body);
  }

  /**
   * The parameter checks of seed 004, in its order: the old password (only when the user has
   * one, `0018`), the new one (`0019`), the two equal (`0020`) — before the old one is verified.
   */
  private async assertPasswordFields(
    userId: string,
    body: IdaasChangePasswordRequest,
  ): Promise<string> {
    if (isBlank(body.new_password)) {
      const user = await this.users.require(userId);
      if (user.passwordHash !== null && isBlank(body.old_password))
        throw idaasSdkError(IdentityErrorCode.CURRENT_PASSWORD_REQUIRED, 'old_password_missing');
      throw idaasSdkError(IdentityErrorCode.INVALID_ARGUMENT, 'new_password_missing');
    }
    const newPassword = body.new_password ?? '';
    if (body.old_password === newPassword)
      throw idaasSdkError(IdentityErrorCode.INVALID_ARGUMENT, 'same_password');
    return newPassword;
  }

  private async send(
    client: ClientPrincipal,
    channel: OtpChannel,
    target: string,
    type: keyof typeof IDAAS_OTP_USAGE_MAP,
    field: 'mobile' | 'email',
    language: string | undefined,
  ): Promise<void> {
    try {
      await this.sendCode.execute({
        clientId: client.clientId,
        channel,
        target,
        usage: IDAAS_OTP_USAGE_MAP[type].usage,
        language: languageOf(language),
      });
    } catch (caught) {
      // The use case names the native field; the SDK's is `mobile` / `email`.
      if (caught instanceof IdentityError && caught.code === IdentityErrorCode.INVALID_ARGUMENT)
        throw new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
          fields: [{ field, problems: ['invalid'] }],
        });
      throw caught;
    }
  }

  private async updateByCode(
    principal: Principal | undefined,
    channel: OtpChannel,
    target: string | undefined,
    field: 'mobile' | 'email',
    body: { verify_code: string; password?: string },
  ): Promise<void> {
    if (isBlank(body.password))
      throw idaasSdkError(IdentityErrorCode.INVALID_ARGUMENT, 'new_password_missing');
    const newPassword = body.password ?? '';
    if (principal?.kind === 'user') {
      await this.changeWithOtp.execute({
        userId: principal.userId,
        clientId: principal.clientId,
        channel,
        code: body.verify_code,
        newPassword,
      });
      return;
    }
    if (!principal) throw new IdentityError(IdentityErrorCode.AUTHENTICATION_REQUIRED);
    if (isBlank(target))
      throw new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
        fields: [{ field, problems: ['required without Authorization (forgot password)'] }],
      });
    await this.resetWithOtp.execute({
      clientId: principal.clientId,
      channel,
      target: target ?? '',
      code: body.verify_code,
      newPassword,
    });
  }

  private async passwordState(
    status: 'PASSWORD_EXPIRED' | 'PASSWORD_WARN',
    result: SignInResult,
    clientId: string,
  ): Promise<IdaasPasswordStateResponse> {
    const purpose = status === 'PASSWORD_WARN' ? 'password_warn' : 'password_expired';
    return {
      status,
      state_token: await this.stateTokens.issue(result.user, clientId, purpose),
      data: policyData(result.policy),
    };
  }

  /**
   * The SUCCESS result: a new session at the application. `session_token` is the session's refresh
   * token and `expire` how long it lives (the vendor's "session_token validity period");
   * `id_token` is the credential of the post-login routes.
   */
  private async session(user: User, clientId: string): Promise<IdaasSessionResponse> {
    const application = await this.applications.require(clientId);
    const allowed = this.applications.scopesOf(application);
    const scopes = ['openid', ...LOGIN_SCOPES.filter((scope) => allowed.includes(scope))];
    const issued = await this.tokens.issueForUser(user, application, scopes);
    if (!issued.refresh_token || !issued.id_token)
      throw new Error('A user session without a refresh token or an ID token');
    return {
      session_token: issued.refresh_token,
      expire: this.config.refreshTokenTtlSeconds,
      status: 'SUCCESS',
      id_token: issued.id_token,
    };
  }
}
