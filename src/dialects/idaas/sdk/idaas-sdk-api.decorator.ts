import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  AUTH_REQUIREMENT_KEY,
  type AuthRequirement,
} from '../../../auth/decorators/auth.decorator';
import { SECURITY_SCHEMES } from '../../../common/http/security-schemes';

export const IDAAS_SDK_TAG = 'IDaaS SDK';

/**
 * Marks a controller as the IDaaS SDK API in Swagger and documents the headers every SDK request
 * carries (seed 004's request headers). Its error format is chosen by the path
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
      name: 'X-client-id',
      required: true,
      description:
        'client_id of a registered application (PARAM.0002 when missing, PARAM.0003 when unknown)',
      example: 'nTo1eRIub60vPb54WeE6aojPwYwImtl4',
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

/**
 * The auth requirement of an SDK route, as `@Auth` writes it (the global guard and the route
 * inventory read it), with the Swagger entry of the credential: the bearer ID token or the state
 * token. Tokens of a user who must change the password are accepted: every credential route here
 * is part of a password change.
 */
export function IdaasSdkAuth(credential: IdaasSdkCredential): MethodDecorator {
  const requirement: AuthRequirement = {
    scheme: SCHEME[credential],
    allowPasswordChangeRequired: true,
  };
  const decorators: Array<MethodDecorator> = [SetMetadata(AUTH_REQUIREMENT_KEY, requirement)];
  if (credential === 'id-token') decorators.push(ApiSecurity(SECURITY_SCHEMES.bearer));
  if (credential === 'optional-id-token')
    decorators.push(ApiSecurity(SECURITY_SCHEMES.bearer), ApiSecurity({}));
  if (credential === 'state-token')
    decorators.push(
      ApiSecurity(SECURITY_SCHEMES.stateToken),
      ApiHeader({
        name: 'X-state-token',
        required: true,
        description:
          'State token of a login that answered PASSWORD_EXPIRED or PASSWORD_WARN (PARAM.0014 when bad, used or expired)',
      }),
    );
  return applyDecorators(...decorators);
}
