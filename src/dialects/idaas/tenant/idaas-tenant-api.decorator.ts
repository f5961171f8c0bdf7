import { ApiTags } from '@nestjs/swagger';

export const IDAAS_TENANT_TAG = 'IDaaS tenant';

/**
 * Marks a controller as the IDaaS tenant (management) API in Swagger. Its error format is chosen by
 * the path (`/api/v2/tenant`, `common/http/dialect-routing.ts`), so what fails before routing
 * speaks IDaaS too.
 */
export const IdaasTenantApi = (): ClassDecorator => ApiTags(IDAAS_TENANT_TAG);
