import { Injectable } from '@nestjs/common';
import type { Application } from '../../applications/application.entity';
import { ApplicationsService } from '../../applications/applications.service';
import {
  GrantRegistry,
  grantedScopes,
  RegisteredGrant,
  requireParam,
} from '../../auth/grants/grant-handler';
import { scopesHeldBy, TokenService, type TokenResponse } from '../../auth/tokens/token.service';
import { SignInWithOtpUseCase } from '../../credentials/use-cases/sign-in-with-otp.use-case';

export const TENCENT_OTP_GRANT_SMS = 'http://tencentciam.com/oauth2/grant-type/otp/sms';
export const TENCENT_OTP_GRANT_EMAIL = 'http://tencentciam.com/oauth2/grant-type/otp/email';

/** Tencent CIAM's one-time-code sign-in grants on /oauth2/token (API.md §2). */
@Injectable()
export class TencentOtpGrant extends RegisteredGrant {
  readonly grantTypes = [TENCENT_OTP_GRANT_SMS, TENCENT_OTP_GRANT_EMAIL] as const;

  constructor(
    registry: GrantRegistry,
    private readonly signIn: SignInWithOtpUseCase,
    private readonly tokens: TokenService,
    private readonly applications: ApplicationsService,
  ) {
    super(registry);
  }

  async handle(
    params: Readonly<Record<string, string>>,
    client: Application,
  ): Promise<TokenResponse> {
    const sms = params.grant_type === TENCENT_OTP_GRANT_SMS;
    const clientScopes = this.applications.scopesOf(client);
    grantedScopes(params.scope, clientScopes);
    const user = await this.signIn.execute({
      clientId: client.clientId,
      channel: sms ? 'sms' : 'email',
      target: requireParam(params, sms ? 'phone_number' : 'email'),
      otpToken: requireParam(params, 'otp_token'),
      code: requireParam(params, 'otp'),
    });
    return this.tokens.issueForUser(
      user,
      client,
      grantedScopes(params.scope, scopesHeldBy(user, clientScopes)),
    );
  }
}
