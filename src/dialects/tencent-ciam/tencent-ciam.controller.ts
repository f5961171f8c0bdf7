import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Auth } from '../../auth/decorators/auth.decorator';
import { CurrentClient, CurrentUser } from '../../auth/decorators/current-principal.decorator';
import type { ClientPrincipal, UserPrincipal } from '../../auth/principal';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { ApiErrors, ApiRateLimited } from '../../common/http/api-errors.decorator';
import { ChangePasswordUseCase } from '../../credentials/use-cases/change-password.use-case';
import { ResetPasswordWithOtpUseCase } from '../../credentials/use-cases/reset-password-with-otp.use-case';
import { SendOneTimeCodeUseCase } from '../../credentials/use-cases/send-one-time-code.use-case';
import { TencentChangePasswordRequest } from './dto/tencent-change-password.request';
import { TencentResetPasswordRequest } from './dto/tencent-reset-password.request';
import { TencentSendOtpRequest, TencentSendOtpResponse } from './dto/tencent-send-otp.request';
import { TencentCiamApi } from './tencent-ciam-api.decorator';
import { RateLimit } from '../../rate-limit/rate-limit.decorator';
import { bodyField, signedInUser } from '../../rate-limit/rate-limit-account';

const error = (code: string, description?: string) => ({
  schema: {
    example: description ? { error: code, error_description: description } : { error: code },
  },
});

/**
 * Whole requests for Swagger UI, which starts the body from the first: one channel (a body with
 * both is refused), and client credentials either in the Basic header (authorize `client-basic`)
 * or in the body, never both (RFC 6749 §2.3).
 */
const SEND_OTP_EXAMPLES = {
  email: {
    summary: 'By email (authorize with client-basic)',
    value: { usage: 'reset_password', email: 'alice@example.com' },
  },
  sms: {
    summary: 'By SMS (authorize with client-basic)',
    value: { usage: 'reset_password', phone_number: '+8613800138000' },
  },
  public_client: {
    summary: 'SPA or mobile application: client_id in the body, no secret',
    value: { client_id: 'YOUR_SPA_CLIENT_ID', usage: 'reset_password', email: 'alice@example.com' },
  },
};

const RESET_EXAMPLES = {
  email: {
    summary: 'With the email code (authorize with client-basic)',
    value: {
      email: 'alice@example.com',
      email_otp_token: 'OTP_TOKEN_FROM_OTP_SEND',
      email_otp: '123456',
      password: 'New-Passw0rd-2',
    },
  },
  sms: {
    summary: 'With the SMS code (authorize with client-basic)',
    value: {
      phone_number: '+8613800138000',
      phone_number_otp_token: 'OTP_TOKEN_FROM_OTP_SEND',
      phone_number_otp: '123456',
      password: 'New-Passw0rd-2',
    },
  },
  public_client: {
    summary: 'SPA or mobile application: client_id in the body, no secret',
    value: {
      client_id: 'YOUR_SPA_CLIENT_ID',
      email: 'alice@example.com',
      email_otp_token: 'OTP_TOKEN_FROM_OTP_SEND',
      email_otp: '123456',
      password: 'New-Passw0rd-2',
    },
  },
};

const oneOfEmailOrPhone = (body: { email?: string; phone_number?: string }): 'email' | 'sms' => {
  if (body.email !== undefined && body.phone_number === undefined) return 'email';
  if (body.phone_number !== undefined && body.email === undefined) return 'sms';
  throw new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
    fields: [
      {
        field: 'email|phone_number',
        problems: ['exactly one of email or phone_number is required'],
      },
    ],
  });
};

@TencentCiamApi()
@Controller()
export class TencentCiamController {
  constructor(
    private readonly changePassword: ChangePasswordUseCase,
    private readonly resetWithOtp: ResetPasswordWithOtpUseCase,
    private readonly sendCode: SendOneTimeCodeUseCase,
  ) {}

  /** Tencent Cloud CIAM "Modify User Password" (seed 000). */
  @Post('change_user_password')
  @HttpCode(200)
  @Auth('bearer', { scopes: ['openid'], allowPasswordChangeRequired: true })
  @RateLimit({ account: signedInUser })
  @ApiOperation({
    summary: 'Modify the password of the signed-in user',
    description:
      'Bearer access token with the `openid` scope. Checks, in order: token, user, status, old password ' +
      '(counts towards lockout), duplicate, policy, history. Every token of the user is revoked on success.',
  })
  @ApiRateLimited()
  @ApiBody({ type: TencentChangePasswordRequest })
  @ApiOkResponse({ description: 'Password modified (empty body)' })
  @ApiBadRequestResponse({
    description:
      'wrong_old_password | duplicate_password | recurrent_password | invalid_new_password | user_not_found | ' +
      'abnormal_user_status ("User is frozen." / "User is locked.") | invalid_request (no bearer token; WWW-Authenticate)',
    ...error('wrong_old_password'),
  })
  @ApiUnauthorizedResponse({
    description:
      'invalid_token: WWW-Authenticate: Bearer error="invalid_token", error_description="Error decoding JWT", …',
  })
  @ApiForbiddenResponse({ description: 'insufficient_scope (token without `openid`)' })
  async changeUserPassword(
    @CurrentUser() user: UserPrincipal,
    @Body() body: TencentChangePasswordRequest,
  ): Promise<void> {
    await this.changePassword.execute({
      userId: user.userId,
      currentPassword: body.old_password,
      newPassword: body.new_password,
      clientId: user.clientId,
    });
  }

  /** Tencent Cloud CIAM "Reset User Password" (seed 001). */
  @Post('reset_user_password')
  @HttpCode(200)
  @Auth('client')
  @RateLimit({ account: bodyField('email', 'phone_number') })
  @ApiOperation({
    summary: 'Reset a password with a one-time code sent by email or SMS',
    description:
      'Client authentication by HTTP Basic (url-encoded id and secret) or client_id/client_secret in the body; ' +
      'SPA and mobile applications send client_id only. Send the code first with POST /otp/send (usage reset_password). ' +
      'Every token of the user is revoked on success; a rejected password does not use up the code.',
  })
  @ApiRateLimited()
  @ApiBody({ type: TencentResetPasswordRequest, examples: RESET_EXAMPLES })
  @ApiOkResponse({ description: 'Password reset (empty body)' })
  @ApiBadRequestResponse({
    description:
      'bad_email_otp_token | bad_email_otp | bad_phone_number_otp_token | bad_phone_number_otp | recurrent_password | ' +
      'invalid_new_password | user_not_found | abnormal_user_status | invalid_request',
    ...error('bad_email_otp'),
  })
  @ApiUnauthorizedResponse({ description: 'invalid_client', ...error('invalid_client') })
  async resetUserPassword(
    @CurrentClient() client: ClientPrincipal,
    @Body() body: TencentResetPasswordRequest,
  ): Promise<void> {
    const channel = oneOfEmailOrPhone(body);
    const token = channel === 'email' ? body.email_otp_token : body.phone_number_otp_token;
    const code = channel === 'email' ? body.email_otp : body.phone_number_otp;
    if (token === undefined || code === undefined) {
      const prefix = channel === 'email' ? 'email' : 'phone_number';
      throw new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
        fields: [{ field: `${prefix}_otp_token|${prefix}_otp`, problems: ['required'] }],
      });
    }
    await this.resetWithOtp.execute({
      clientId: client.clientId,
      channel,
      target: (channel === 'email' ? body.email : body.phone_number) ?? '',
      otpToken: token,
      code,
      newPassword: body.password,
    });
  }

  /** Tencent Cloud CIAM "Send OTP" (API.md §3). */
  @Post('otp/send')
  @HttpCode(200)
  @Auth('client')
  @RateLimit({ account: bodyField('email', 'phone_number') })
  @ApiOperation({
    summary: 'Send a one-time code by email or SMS',
    description:
      'At most one code per target and usage every 60 s. For usage login and reset_password an unknown ' +
      'email or phone number gets the same answer and no message, so the endpoint reveals nobody.',
  })
  @ApiRateLimited()
  @ApiErrors(IdentityErrorCode.OTP_RATE_LIMITED)
  @ApiBody({ type: TencentSendOtpRequest, examples: SEND_OTP_EXAMPLES })
  @ApiOkResponse({ type: TencentSendOtpResponse })
  @ApiBadRequestResponse({ description: 'invalid_request', ...error('invalid_request') })
  @ApiUnauthorizedResponse({ description: 'invalid_client', ...error('invalid_client') })
  async sendOtp(
    @CurrentClient() client: ClientPrincipal,
    @Body() body: TencentSendOtpRequest,
  ): Promise<TencentSendOtpResponse> {
    const channel = oneOfEmailOrPhone(body);
    const { otpToken } = await this.sendCode.execute({
      clientId: client.clientId,
      channel,
      target: (channel === 'email' ? body.email : body.phone_number) ?? '',
      usage: body.domainUsage(),
      // Tencent's API has no language; its messages stay in English.
      language: 'en',
    });
    return { otp_token: otpToken };
  }
}
