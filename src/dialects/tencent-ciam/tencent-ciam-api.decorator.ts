import { applyDecorators, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { TencentCiamExceptionFilter } from './tencent-ciam-exception.filter';

export const TENCENT_CIAM_TAG = 'Tencent Cloud CIAM';

/** Marks a controller as Tencent Cloud CIAM: its error format and its Swagger tag. */
export const TencentCiamApi = (): ClassDecorator =>
  applyDecorators(UseFilters(TencentCiamExceptionFilter), ApiTags(TENCENT_CIAM_TAG));
