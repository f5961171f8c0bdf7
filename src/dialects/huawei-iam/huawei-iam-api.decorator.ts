import { applyDecorators } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

export const HUAWEI_IAM_TAG = 'Huawei Cloud IAM';

/** Marks a controller as Huawei Cloud IAM; its errors are rendered by the path (`/v3`). */
export const HuaweiIamApi = (): ClassDecorator => applyDecorators(ApiTags(HUAWEI_IAM_TAG));
