import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  AUTH_REQUIREMENT_KEY,
  type AuthRequirement,
} from '../../../auth/decorators/auth.decorator';
import { IdentityErrorCode } from '../../../common/errors/identity-error-code';
import { ApiErrors } from '../../../common/http/api-errors.decorator';
import { SECURITY_SCHEMES } from '../../../common/http/security-schemes';

export const IDAAS_SDK_TAG = 'IDaaS SDK';

/**
 * Marks a controller as the IDaaS SDK API in Swagger and documents the device headers every SDK
 * request carries (seed 004's request headers; `X-client-id` is the security scheme
 * `idaas-sdk-client`, see `IdaasSdkAuth`). Its error format is chosen by the path
 * (`common/http/dialect-routing.ts`), so what fails before routing speaks IDaaS too.
 */
export const IdaasSdkApi = (): ClassDecorator =>
  applyDecorators(
    ApiTags(IDAAS_SDK_TAG),
    ApiHeader({
      name: 'X-operating-sys-version',
      required: true,
      description: 'OS version of the calling client (IDAAS.SDK.PARAM.0001 when missing)',
      example: 'windows10.1.1',
    }),
    ApiHeader({
      name: 'X-device-fingerprint',
      required: true,
      description: 'Device fingerprint of the calling client (PARAM.0001 when missing)',
      example: '156aysdna213sc50',
    }),
    ApiHeader({
      name: 'X-agent',
      required: true,
      description: 'User-Agent of the calling client (PARAM.0001 when missing)',
      example: 'Mozilla/5.0 (iPhone; CPU iPhone OS 13_3 like Mac OS X)',
    }),
    ApiHeader({
      name: 'X-device-ip',
      required: false,
      description: 'IP of the calling client (accepted, not checked)',
      example: '192.168.1.2',
    }),
    ApiHeader({
      name: 'X-L',
      required: false,
      description: 'Language of error messages: Chinese when it starts with `zh`, else English',
      example: 'zh',
    }),
  );

/** What an SDK route requires after the device and application checks. */
export type IdaasSdkCredential = 'none' | 'id-token' | 'optional-id-token' | 'state-token';

const SCHEME = {
  none: 'idaas-sdk-app',
  'id-token': 'idaas-sdk-user',
  'optional-id-token': 'idaas-sdk-app-or-user',
  'state-token': 'idaas-sdk-state-token',
} as const satisfies Record<IdaasSdkCredential, AuthRequirement['scheme']>;

const APPLICATION: Record<string, string[]> = { [SECURITY_SCHEMES.idaasSdkClient]: [] };

/**
 * The Swagger security of each credential: always the application's `X-client-id` (PARAM.0002
 * when missing, PARAM.0003 when unknown), and with it the ID token as a bearer (PARAM.0015,
 * PARAM.0016) or the state token (PARAM.0014 when bad, used or expired). `optional-id-token`
 * routes take the ID token or, without it, act as "forgot password".
 */
const SECURITY = {
  none: [APPLICATION],
  'id-token': [{ ...APPLICATION, [SECURITY_SCHEMES.bearer]: [] }],
  'optional-id-token': [{ ...APPLICATION, [SECURITY_SCHEMES.bearer]: [] }, APPLICATION],
  'state-token': [{ ...APPLICATION, [SECURITY_SCHEMES.stateToken]: [] }],
} satisfies Record<IdaasSdkCredential, Array<Record<string, string[]>>>;

/**
 * The auth requirement of an SDK route, as `@Auth` writes it (the global guard and the route
 * inventory read it), with the Swagger security of the credential and the outage answer (the
 * application check reads the database). Tokens of a user who must change the password are
 * accepted: every credential route here is part of a password change.
 */
export function IdaasSdkAuth(credential: IdaasSdkCredential): MethodDecorator {
  const requirement: AuthRequirement = {
    scheme: SCHEME[credential],
    allowPasswordChangeRequired: true,
  };
  return applyDecorators(
    SetMetadata(AUTH_REQUIREMENT_KEY, requirement),
    ...SECURITY[credential].map((alternative) => ApiSecurity(alternative)),
    ApiErrors(IdentityErrorCode.SERVICE_BUSY),
  );
}
