import { AsyncLocalStorage } from 'node:async_hooks';
import type { Request } from 'express';
import { type Dialect, dialectOfPath } from '../common/http/dialect-routing';

/**
 * The request being served, so an event the domain records deep in a use case can be labelled
 * with the dialect of the path that asked for it (the domain itself never knows). Holding the
 * request costs one `run` per request; the dialect is computed only when an event is recorded.
 */
export const servedRequest = new AsyncLocalStorage<Request>();

/** The dialect of the request being served; `none` outside a request (a background job). */
export function currentDialect(): Dialect | 'none' {
  const request = servedRequest.getStore();
  return request ? dialectOfPath(request.path) : 'none';
}
