import { applyDecorators } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdentityErrorCode } from '../../common/errors/identity-error-code';
import { ApiErrors } from '../../common/http/api-errors.decorator';

export const HUAWEI_IAM_TAG = 'Huawei Cloud IAM';

/**
 * Marks a controller as Huawei Cloud IAM; its errors are rendered by the path (`/v3` in Keystone's
 * shape, `/v3.0` in Huawei's). Every route documents the 405 of another method on its path.
 */
export const HuaweiIamApi = (): ClassDecorator =>
  applyDecorators(ApiTags(HUAWEI_IAM_TAG), ApiErrors(IdentityErrorCode.METHOD_NOT_ALLOWED));

/** A route that takes a body documents what refuses one before the handler: 413 and 415. */
export const HuaweiIamBody = (): MethodDecorator =>
  ApiErrors(IdentityErrorCode.PAYLOAD_TOO_LARGE, IdentityErrorCode.UNSUPPORTED_MEDIA_TYPE);
