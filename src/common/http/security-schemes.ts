/** Names of the OpenAPI security schemes, shared by `configureApp` and `@Auth`. */
export const SECURITY_SCHEMES = {
  bearer: 'bearer',
  clientBasic: 'client-basic',
  authToken: 'x-auth-token',
  stateToken: 'x-state-token',
} as const;
