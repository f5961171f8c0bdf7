import { ApiTags } from '@nestjs/swagger';

export const TENCENT_CIAM_TAG = 'Tencent Cloud CIAM';

/**
 * Marks a controller as Tencent Cloud CIAM in Swagger. Its error format is chosen by the path
 * (`common/http/dialect-routing.ts`), so that what fails before routing speaks Tencent too.
 */
export const TencentCiamApi = (): ClassDecorator => ApiTags(TENCENT_CIAM_TAG);
