import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Auth } from '../../auth/decorators/auth.decorator';
import { CurrentUser } from '../../auth/decorators/current-principal.decorator';
import { Public } from '../../auth/decorators/public.decorator';
import type { UserPrincipal } from '../../auth/principal';
import { TokenService } from '../../auth/tokens/token.service';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { ApiErrors, ApiRateLimited } from '../../common/http/api-errors.decorator';
import { violationMessage } from '../../common/i18n/violation-messages';
import { ChangePasswordUseCase } from '../../credentials/use-cases/change-password.use-case';
import { SignInWithPasswordUseCase } from '../../credentials/use-cases/sign-in-with-password.use-case';
import { PasswordPolicyService } from '../../policy/password-policy.service';
import { UsersService } from '../../users/users.service';
import {
  HuaweiChangePasswordRequest,
  HuaweiCreateTokenRequest,
  HuaweiTokenResponse,
} from './dto/huawei-keystone-token.dto';
import { HUAWEI_VIOLATION_MESSAGES, type HuaweiIamCode } from './huawei-iam.errors';
import { HuaweiIamApi, HuaweiIamBody } from './huawei-iam-api.decorator';
import { parsePasswordAuthentication, parsePasswordChange } from './huawei-iam.request-parser';
import {
  isUsersDomain,
  keystoneTokenBody,
  parseTokenContext,
  tokenContext,
} from './huawei-keystone-token.mapper';
import { RateLimit } from '../../rate-limit/rate-limit.decorator';
import { type AccountOf, signedInUser } from '../../rate-limit/rate-limit-account';

/** The user a Keystone password authentication names (`auth.identity.password.user.name|id`). */
const keystoneUser: AccountOf = (request) => {
  const path = ['auth', 'identity', 'password', 'user'];
  let node: unknown = request.body;
  for (const key of path)
    node =
      typeof node === 'object' && node !== null
        ? (node as Record<string, unknown>)[key]
        : undefined;
  if (typeof node !== 'object' || node === null) return undefined;
  const user = node as Record<string, unknown>;
  return typeof user.name === 'string' ? user.name : user.id;
};

/**
 * The application Huawei sign-ins belong to. Keystone has no OAuth client; sessions need one, and
 * an administrator may give this id a password-policy override like any application's.
 */
export const HUAWEI_IAM_CLIENT_ID = 'huawei-iam';
/** Keystone's password sign-in (`POST`, below): shed while the bcrypt queue is full (app.setup.ts). */
export const HUAWEI_SIGN_IN_PATH = '/v3/auth/tokens';
/** Huawei IAM tokens are valid 24 hours. */
const TOKEN_TTL_SECONDS = 24 * 3600;
const METHODS = ['password'];

const keystoneError = (status: number, title: string, message: string) => ({
  schema: { example: { error: { code: status, title, message } } },
});
const iamBody = (code: HuaweiIamCode, message: string) => ({
  error: { code, title: 'Bad Request', message },
  error_code: code,
  error_msg: message,
});
const iamError = (code: HuaweiIamCode, message: string) => ({
  schema: { example: iamBody(code, message) },
});
const iamExample = (code: HuaweiIamCode, summary: string, message: string) => ({
  summary,
  value: iamBody(code, message),
});
/** The 400s of a password change, worded by the tables the renderer uses. */
const CHANGE_PASSWORD_EXAMPLES = {
  '1100': iamExample(
    '1100',
    'A missing or mistyped parameter',
    'Missing or invalid parameter: user.password.',
  ),
  '1103': iamExample(
    '1103',
    'A policy rule or a previous password',
    violationMessage(HUAWEI_VIOLATION_MESSAGES, { rule: 'history', params: { count: 5 } }),
  ),
  '1108': iamExample(
    '1108',
    'The new password is the original one',
    violationMessage(HUAWEI_VIOLATION_MESSAGES, { rule: 'same_as_current', params: {} }),
  ),
  '1118': iamExample(
    '1118',
    'A common (weak) password',
    violationMessage(HUAWEI_VIOLATION_MESSAGES, { rule: 'common_password', params: {} }),
  ),
};
const UNAUTHORIZED = keystoneError(
  401,
  'Unauthorized',
  'The request you have made requires authentication.',
);

@HuaweiIamApi()
@Controller('v3')
export class HuaweiIamController {
  constructor(
    private readonly signIn: SignInWithPasswordUseCase,
    private readonly changePasswordUseCase: ChangePasswordUseCase,
    private readonly tokens: TokenService,
    private readonly users: UsersService,
    private readonly policies: PasswordPolicyService,
  ) {}

  /** Huawei IAM "Obtaining a User Token Through Password Authentication" (Keystone v3). */
  @Post('auth/tokens')
  @HttpCode(201)
  @Public()
  @RateLimit({ account: keystoneUser })
  @ApiOperation({
    summary: 'Obtain a user token (password authentication)',
    description:
      'The token is in the `X-Subject-Token` response header, valid 24 hours. An unknown user, a wrong password ' +
      'and a frozen or locked user get the same 401. A password that must be changed or has expired still yields ' +
      'a token, usable only to change the password (POST /v3/users/{user_id}/password) and to validate itself.',
  })
  @ApiRateLimited()
  @ApiErrors(IdentityErrorCode.SERVICE_BUSY)
  @ApiQuery({
    name: 'nocatalog',
    required: false,
    description: 'Accepted; the catalog is always empty',
  })
  @HuaweiIamBody()
  @ApiBody({ type: HuaweiCreateTokenRequest })
  @ApiCreatedResponse({
    type: HuaweiTokenResponse,
    headers: { 'X-Subject-Token': { description: 'The token', schema: { type: 'string' } } },
  })
  @ApiBadRequestResponse(iamError('1100', 'Missing or invalid parameter.'))
  @ApiUnauthorizedResponse(UNAUTHORIZED)
  async createToken(
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<HuaweiTokenResponse> {
    const request = parsePasswordAuthentication(body);
    const context = tokenContext(request.domainName, request.scope);
    // A scope outside the user's one domain gets the answer of wrong credentials, as Keystone's
    // does for a scope the user has no role on; it is refused before any password is compared.
    if (request.scopeDomain && !isUsersDomain(context, request.scopeDomain))
      throw new IdentityError(IdentityErrorCode.INVALID_CREDENTIALS);
    const { user, passwordState, passwordExpiresAt } = await this.signIn.execute({
      identifier: request.identifier,
      password: request.password,
      clientId: HUAWEI_IAM_CLIENT_ID,
    });
    const issued = await this.tokens.issueOpaqueToken(user, HUAWEI_IAM_CLIENT_ID, [], {
      methods: METHODS,
      passwordChangeRequired: passwordState === 'must_change' || passwordState === 'expired',
      ttlSeconds: TOKEN_TTL_SECONDS,
      context: JSON.stringify(context),
    });
    response.setHeader('X-Subject-Token', issued.token);
    response.setHeader('Cache-Control', 'no-store');
    return keystoneTokenBody({ user, ...issued, methods: METHODS, context, passwordExpiresAt });
  }

  /** Huawei IAM "Validating a Token" (Keystone v3). */
  @Get('auth/tokens')
  @Auth('auth-token', { allowPasswordChangeRequired: true })
  @ApiOperation({
    summary: 'Validate a token',
    description:
      'A user may validate its own token; a user with the admin role any token. 404 when the subject token is invalid.',
  })
  @ApiHeader({ name: 'X-Subject-Token', required: true, description: 'The token to validate' })
  @ApiOkResponse({ type: HuaweiTokenResponse })
  @ApiUnauthorizedResponse(UNAUTHORIZED)
  @ApiForbiddenResponse(
    keystoneError(403, 'Forbidden', 'You are not authorized to perform the requested action.'),
  )
  @ApiNotFoundResponse(keystoneError(404, 'Not Found', 'The resource could not be found.'))
  async validateToken(
    @CurrentUser() caller: UserPrincipal,
    @Headers('x-subject-token') subjectToken: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<HuaweiTokenResponse> {
    const subject = await this.tokens.opaqueTokenPrincipal(subjectToken?.trim() ?? '', (id) =>
      this.users.findById(id),
    );
    if (!subject) throw new IdentityError(IdentityErrorCode.NOT_FOUND);
    if (subject.user.id !== caller.userId) {
      const callerUser = await this.users.findById(caller.userId);
      if (!callerUser?.roles.includes('admin'))
        throw new IdentityError(IdentityErrorCode.FORBIDDEN);
    }
    const policy = await this.policies.effectivePolicy(subject.principal.clientId);
    const expiry = this.policies.passwordExpiry(subject.user.passwordChangedAt, policy);
    response.setHeader('X-Subject-Token', subjectToken?.trim() ?? '');
    response.setHeader('Cache-Control', 'no-store');
    return keystoneTokenBody({
      user: subject.user,
      issuedAt: subject.token.createdAt,
      expiresAt: subject.token.expiresAt,
      methods: subject.token.methods.split(' ').filter(Boolean),
      context: parseTokenContext(subject.token.context),
      passwordExpiresAt: expiry.expiresAt,
    });
  }

  /**
   * Huawei IAM "Changing a Password" (seed 003). Order: token → user (404) → same user (403) →
   * body (1100) → original password (401, counts towards lockout) → 1108 → policy → history.
   */
  @Post('users/:user_id/password')
  @HttpCode(204)
  @Auth('auth-token', { allowPasswordChangeRequired: true })
  @RateLimit({ account: signedInUser })
  @ApiOperation({
    summary: "Change the signed-in user's password",
    description:
      'X-Auth-Token of the same user. 204 with no body; every token of the user (X-Auth-Tokens and the JWTs of ' +
      'the other APIs alike) is then invalid. The SDK signature headers (Authorization: SDK-HMAC-SHA256, ' +
      'X-Sdk-Date) are ignored.',
  })
  @ApiRateLimited()
  @HuaweiIamBody()
  @ApiBody({ type: HuaweiChangePasswordRequest })
  @ApiNoContentResponse({ description: 'The password is changed' })
  @ApiBadRequestResponse({
    description:
      '`1100` a missing or mistyped parameter (the message names it); `1108` new = original; `1118` a ' +
      'common (weak) password; `1103` any other policy rule or a previous password (the message names the rule).',
    examples: CHANGE_PASSWORD_EXAMPLES,
  })
  @ApiUnauthorizedResponse(UNAUTHORIZED)
  @ApiForbiddenResponse(
    keystoneError(403, 'Forbidden', 'You are not authorized to perform the requested action.'),
  )
  @ApiNotFoundResponse(keystoneError(404, 'Not Found', 'Could not find the user.'))
  async changePassword(
    @CurrentUser() caller: UserPrincipal,
    @Param('user_id') userId: string,
    @Body() body: unknown,
  ): Promise<void> {
    await this.users.require(userId);
    if (userId !== caller.userId) throw new IdentityError(IdentityErrorCode.FORBIDDEN);
    const change = parsePasswordChange(body);
    await this.changePasswordUseCase.execute({
      userId,
      currentPassword: change.originalPassword,
      newPassword: change.password,
      clientId: caller.clientId,
    });
  }
}
