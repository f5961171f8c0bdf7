/** Names of the OpenAPI security schemes, shared by `configureApp` and `@Auth`. */
export const SECURITY_SCHEMES = {
  bearer: 'bearer',
  clientBasic: 'client-basic',
  authToken: 'x-auth-token',
  stateToken: 'x-state-token',
  /** IDaaS tenant token endpoint; the name is the dialect's auth scheme, documented under its own name. */
  idaasQueryClient: 'idaas-query-client',
  /** IDaaS SDK routes: the registered application's id in `X-client-id` (with the device headers). */
  idaasSdkClient: 'idaas-sdk-client',
} as const;
