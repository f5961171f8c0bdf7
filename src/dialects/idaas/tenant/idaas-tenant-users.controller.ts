import {
  Body,
  Controller,
  createParamDecorator,
  type ExecutionContext,
  HttpCode,
  Param,
  Post,
  Put,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { Auth } from '../../../auth/decorators/auth.decorator';
import type { Principal } from '../../../auth/principal';
import { IdentityError, IdentityErrorCode } from '../../../common/errors/identity-error';
import type { FieldError } from '../../../common/http/validation-errors';
import { RegisterUserUseCase } from '../../../credentials/use-cases/register-user.use-case';
import { SetPasswordByAdminUseCase } from '../../../credentials/use-cases/set-password-by-admin.use-case';
import { UsersService } from '../../../users/users.service';
import { IdaasTenantChangePasswordRequest } from './dto/idaas-tenant-change-password.request';
import { IdaasTenantCreateUserRequest } from './dto/idaas-tenant-create-user.request';
import { IdaasTenantUserIdResponse } from './dto/idaas-tenant-user-id.response';
import { IdaasTenantApi } from './idaas-tenant-api.decorator';
import { CHANGE_PASSWORD_ERRORS, CREATE_USER_ERRORS } from './idaas-tenant.responses';
import { RateLimit } from '../../../rate-limit/rate-limit.decorator';
import { pathParam } from '../../../rate-limit/rate-limit-account';

/** The application the caller's token was issued to: a client's own, or the one a user signed in at. */
const CallerClientId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const principal = context.switchToHttp().getRequest<Request & { user?: Principal }>().user;
  if (!principal) throw new IdentityError(IdentityErrorCode.AUTHENTICATION_REQUIRED);
  return principal.clientId;
});

/** The domain's names of fields this API's bodies spell otherwise. */
const WIRE_FIELD_NAMES: Readonly<Record<string, string>> = { username: 'user_name' };

/**
 * `error` with the fields it names renamed to this API's wire names: the domain checks a
 * `username` (RFC 8265), the caller sent a `user_name`, and the message must name what was sent.
 */
function withWireFieldNames(error: unknown): unknown {
  if (!(error instanceof IdentityError) || !Array.isArray(error.details.fields)) return error;
  const fields = (error.details.fields as FieldError[]).map(({ field, problems }) => ({
    field: WIRE_FIELD_NAMES[field] ?? field,
    problems,
  }));
  return new IdentityError(error.code, { ...error.details, fields });
}

const LANGUAGE_HEADER = ApiHeader({
  name: 'X-L',
  required: false,
  description: 'Language of error messages: Chinese when it starts with `zh`, else English',
});

/**
 * The IDaaS tenant (management) API's user operations. Any bearer access token with the `admin`
 * scope is accepted: the tenant token, the native client_credentials one, or a user's whose
 * `admin` role grants it. The policy that applies is the one of the calling application.
 */
@IdaasTenantApi()
@Auth('bearer', { scopes: ['admin'] })
@Controller('api/v2/tenant/users')
export class IdaasTenantUsersController {
  constructor(
    private readonly users: UsersService,
    private readonly registerUser: RegisterUserUseCase,
    private readonly setPasswordByAdmin: SetPasswordByAdminUseCase,
  ) {}

  /** IDaaS tenant API "Change User Password" (seed 002). */
  @Put(':user_id/change-password')
  @HttpCode(200)
  @RateLimit({ account: pathParam('user_id') })
  @LANGUAGE_HEADER
  @ApiOperation({
    summary: "Set a user's password",
    description:
      'Policy and history apply (the current password counts as used; minimum age does not); any status ' +
      'is allowed. `must_modify` (alias `pwd_must_modify`) defaults to true: the user then signs in to ' +
      'a forced change. Every token issued to the user before is revoked.',
  })
  @ApiParam({ name: 'user_id', description: 'Target user ID' })
  @ApiBody({ type: IdaasTenantChangePasswordRequest })
  @ApiOkResponse({ type: IdaasTenantUserIdResponse })
  @ApiBadRequestResponse(CHANGE_PASSWORD_ERRORS)
  async changePassword(
    @CallerClientId() clientId: string,
    @Param('user_id') userId: string,
    @Body() body: IdaasTenantChangePasswordRequest,
  ): Promise<IdaasTenantUserIdResponse> {
    const user = await this.setPasswordByAdmin.execute({
      userId,
      newPassword: body.password,
      mustChangePassword: body.mustModify(),
      clientId,
    });
    return { user_id: user.id };
  }

  /** IDaaS tenant API "Create user" (API.md §3). */
  @Post()
  @HttpCode(200)
  @LANGUAGE_HEADER
  @ApiOperation({
    summary: 'Create a user, optionally with an initial password',
    description:
      'User name, mobile and email are each unique. A password, when given, must satisfy the policy ' +
      'and is not temporary; without one the user signs in with one-time codes and sets a first password.',
  })
  @ApiBody({ type: IdaasTenantCreateUserRequest })
  @ApiOkResponse({ type: IdaasTenantUserIdResponse })
  @ApiBadRequestResponse(CREATE_USER_ERRORS)
  async create(
    @CallerClientId() clientId: string,
    @Body() body: IdaasTenantCreateUserRequest,
  ): Promise<IdaasTenantUserIdResponse> {
    const user = await this.registerUser
      .execute({
        user: {
          username: body.user_name,
          email: body.email,
          phoneNumber: this.mobile(body.mobile),
          name: body.name,
        },
        password: body.password,
        clientId,
      })
      .catch((error: unknown) => {
        throw withWireFieldNames(error);
      });
    return { user_id: user.id };
  }

  /** Checked here so that a bad number is reported under the wire name `mobile`. */
  private mobile(mobile: string | undefined): string | undefined {
    if (mobile === undefined || mobile.trim() === '') return undefined;
    const normalized = this.users.normalizePhoneNumber(mobile);
    if (!normalized) {
      throw new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
        fields: [{ field: 'mobile', problems: ['mobile must be a valid phone number'] }],
      });
    }
    return normalized;
  }
}
