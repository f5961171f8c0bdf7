import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Auth } from '../../auth/decorators/auth.decorator';
import { CurrentUser } from '../../auth/decorators/current-principal.decorator';
import type { UserPrincipal } from '../../auth/principal';
import { IdentityError, IdentityErrorCode } from '../../common/errors/identity-error';
import { PasswordPolicyService } from '../../policy/password-policy.service';
import { UsersService } from '../../users/users.service';
import { HuaweiIamApi, HuaweiIamBody } from './huawei-iam-api.decorator';
import {
  fromHuaweiLoginPolicy,
  fromHuaweiPasswordPolicy,
  type HuaweiLoginPolicy,
  type HuaweiPasswordPolicy,
  toHuaweiLoginPolicy,
  toHuaweiPasswordPolicy,
} from './huawei-security-policy.mapper';

const PASSWORD_POLICY_EXAMPLE = {
  password_policy: {
    maximum_consecutive_identical_chars: 0,
    minimum_password_age: 0,
    minimum_password_length: 8,
    maximum_password_length: 64,
    number_of_recent_passwords_disallowed: 6,
    password_not_username_or_invert: true,
    password_validity_period: 0,
    password_char_combination: 2,
    password_requirements:
      'The password must contain 8 to 64 characters and at least 2 of the following character types: uppercase letters, lowercase letters, digits, and special characters.',
  },
};
const LOGIN_POLICY_EXAMPLE = {
  login_policy: {
    login_failed_times: 5,
    period_with_login_failures: 15,
    lockout_duration: 15,
    session_timeout: 1440,
  },
};
const IAM_ERROR = (code: string, message: string) => ({
  schema: { example: { error_msg: message, error_code: code } },
});

/**
 * Huawei IAM's account security policies, for operators migrating from Huawei: the password and
 * login policies in Huawei's names, mapped onto the realm policy. One realm: any `domain_id` is
 * this one. Errors are `{"error_msg","error_code":"IAM.xxxx"}` as on Huawei's `/v3.0` routes.
 */
@HuaweiIamApi()
@Auth('auth-token')
@ApiUnauthorizedResponse(
  IAM_ERROR('IAM.0002', 'The request you have made requires authentication.'),
)
@ApiForbiddenResponse(
  IAM_ERROR('IAM.0003', 'You are not authorized to perform the requested action.'),
)
@Controller('v3.0/OS-SECURITYPOLICY/domains/:domain_id')
export class HuaweiSecurityPolicyController {
  constructor(
    private readonly policies: PasswordPolicyService,
    private readonly users: UsersService,
  ) {}

  /** Huawei IAM "Querying the Password Policy". */
  @Get('password-policy')
  @ApiOperation({ summary: 'The realm password policy in Huawei IAM terms' })
  @ApiOkResponse({ schema: { example: PASSWORD_POLICY_EXAMPLE } })
  async passwordPolicy(
    @CurrentUser() caller: UserPrincipal,
    @Param('domain_id') _domainId: string,
  ): Promise<{ password_policy: HuaweiPasswordPolicy }> {
    await this.assertAdministrator(caller);
    return { password_policy: toHuaweiPasswordPolicy(await this.policies.realmPolicy()) };
  }

  /** Huawei IAM "Modifying the Password Policy" (partial: absent fields stay). */
  @Put('password-policy')
  @ApiOperation({
    summary: 'Change the realm password policy in Huawei IAM terms (partial)',
    description:
      'number_of_recent_passwords_disallowed counts the current password, as Huawei does: N becomes history_count N−1.',
  })
  @HuaweiIamBody()
  @ApiBody({ schema: { example: { password_policy: { minimum_password_length: 10 } } } })
  @ApiOkResponse({ schema: { example: PASSWORD_POLICY_EXAMPLE } })
  @ApiBadRequestResponse(
    IAM_ERROR('IAM.0001', 'Invalid parameter: password_policy.minimum_password_length'),
  )
  async updatePasswordPolicy(
    @CurrentUser() caller: UserPrincipal,
    @Param('domain_id') _domainId: string,
    @Body() body: unknown,
  ): Promise<{ password_policy: HuaweiPasswordPolicy }> {
    await this.assertAdministrator(caller);
    const policy = await this.policies.updateRealmPolicy(fromHuaweiPasswordPolicy(body));
    return { password_policy: toHuaweiPasswordPolicy(policy) };
  }

  /** Huawei IAM "Querying the Login Authentication Policy". */
  @Get('login-policy')
  @ApiOperation({ summary: 'The realm lockout policy in Huawei IAM terms' })
  @ApiOkResponse({ schema: { example: LOGIN_POLICY_EXAMPLE } })
  async loginPolicy(
    @CurrentUser() caller: UserPrincipal,
    @Param('domain_id') _domainId: string,
  ): Promise<{ login_policy: HuaweiLoginPolicy }> {
    await this.assertAdministrator(caller);
    return { login_policy: toHuaweiLoginPolicy(await this.policies.realmPolicy()) };
  }

  /** Huawei IAM "Modifying the Login Authentication Policy" (partial). */
  @Put('login-policy')
  @ApiOperation({
    summary: 'Change the realm lockout policy in Huawei IAM terms (partial)',
    description:
      'Minutes, as Huawei has them. session_timeout is checked against its range and reported as 1440: tokens live 24 h.',
  })
  @HuaweiIamBody()
  @ApiBody({
    schema: { example: { login_policy: { login_failed_times: 5, lockout_duration: 20 } } },
  })
  @ApiOkResponse({ schema: { example: LOGIN_POLICY_EXAMPLE } })
  @ApiBadRequestResponse(
    IAM_ERROR('IAM.0001', 'Invalid parameter: login_policy.login_failed_times'),
  )
  async updateLoginPolicy(
    @CurrentUser() caller: UserPrincipal,
    @Param('domain_id') _domainId: string,
    @Body() body: unknown,
  ): Promise<{ login_policy: HuaweiLoginPolicy }> {
    await this.assertAdministrator(caller);
    const policy = await this.policies.updateRealmPolicy(fromHuaweiLoginPolicy(body));
    return { login_policy: toHuaweiLoginPolicy(policy) };
  }

  /** Admin rights come from the user's role (API.md §4). */
  private async assertAdministrator(caller: UserPrincipal): Promise<void> {
    const user = await this.users.findById(caller.userId);
    if (!user?.roles.includes('admin')) throw new IdentityError(IdentityErrorCode.FORBIDDEN);
  }
}
