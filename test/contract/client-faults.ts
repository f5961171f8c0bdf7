import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AppConfig } from '../../src/config/app.config';
import { type Dialect, dialectOfPath } from '../../src/common/http/dialect-routing';

export type BodyMethod = 'post' | 'put' | 'patch';

/** A route that takes a body; `:params` are filled with a placeholder (bodies fail before routing). */
export interface BodyRoute {
  method: BodyMethod;
  path: string;
}

/**
 * Client input that fails before any controller runs, on any route that takes a body. Each
 * dialect must answer every one with its own 4xx. A form body is parsed only where a route takes
 * one (`acceptsForm`); elsewhere it is an unsupported media type (415), like a text/plain body.
 */
export const BODY_FAULTS = [
  'malformed JSON',
  'unsupported charset',
  'gzip-encoded header with a plain body',
  'unsupported content encoding',
  'body over the size limit',
  'more than 100 form parameters',
  'JSON nested 2,500 levels deep',
  'text/plain body',
] as const;
export type BodyFault = (typeof BODY_FAULTS)[number];

export function sendFault(
  app: NestExpressApplication,
  route: BodyRoute,
  fault: BodyFault,
): request.Test {
  const req = request(app.getHttpServer())[route.method](route.path.replace(/:\w+/g, 'x'));
  switch (fault) {
    case 'malformed JSON':
      return req.set('Content-Type', 'application/json').send('{"password": "abc",');
    case 'unsupported charset':
      return req.set('Content-Type', 'application/json; charset=latin1').send('{}');
    case 'gzip-encoded header with a plain body':
      return req
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .send('{"password":"abc"}');
    case 'unsupported content encoding':
      return req
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'compress')
        .send('{"password":"abc"}');
    case 'body over the size limit': {
      const limit = app.get(AppConfig).bodyLimitBytes;
      return req.set('Content-Type', 'application/json').send(`{"a":"${'x'.repeat(limit)}"}`);
    }
    case 'more than 100 form parameters':
      return req.type('form').send(Array.from({ length: 101 }, (_, i) => `p${i}=v`).join('&'));
    case 'JSON nested 2,500 levels deep':
      return req
        .set('Content-Type', 'application/json')
        .send(`{"a":${'['.repeat(2500)}${']'.repeat(2500)}}`);
    case 'text/plain body':
      return req.set('Content-Type', 'text/plain').send('{"password":"abc"}');
  }
}

/** The routes that take a form body besides JSON (OAuth endpoints, IDaaS' tenant token). */
const FORM_ROUTES = new Set([
  'post /oauth2/token',
  'post /oauth2/revoke',
  'post /oauth2/userinfo',
  'post /api/v2/tenant/token',
]);

export function acceptsForm(route: BodyRoute): boolean {
  return FORM_ROUTES.has(`${route.method} ${route.path}`);
}

/**
 * What a dialect answers `fault` on `route`: `table`'s entry, except that a form body on a
 * JSON-only route is refused like any unsupported media type.
 */
export function expectedFault<T>(
  table: Record<BodyFault, T>,
  fault: BodyFault,
  route: BodyRoute,
): T {
  return fault === 'more than 100 form parameters' && !acceptsForm(route)
    ? table['text/plain body']
    : table[fault];
}

/**
 * The routes the application serves for `dialect` that take a body, from the Express router
 * itself, leaving out the probe routes and the middleware Nest mounts for every method.
 */
export function liveBodyRoutes(app: NestExpressApplication, dialect: Dialect): BodyRoute[] {
  const router = (
    app.getHttpAdapter().getInstance() as {
      router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
    }
  ).router;
  // Keyed by method and path: middleware a module mounts on one route (`forRoutes({path, method})`)
  // is a layer of its own in front of the route's handler.
  const routes = new Map<string, BodyRoute>();
  for (const { route } of router.stack) {
    if (!route || route.path.includes('*') || route.path.includes('contract-probe')) continue;
    if (dialectOfPath(route.path) !== dialect) continue;
    for (const method of Object.keys(route.methods)) {
      if (method === 'post' || method === 'put' || method === 'patch') {
        routes.set(`${method} ${route.path}`, { method, path: route.path });
      }
    }
  }
  return [...routes.values()];
}

/** A `fault × route` table for `it.each`. */
export function faultTable(routes: readonly BodyRoute[]): Array<[BodyFault, string, BodyRoute]> {
  return BODY_FAULTS.flatMap((fault) =>
    routes.map((route): [BodyFault, string, BodyRoute] => [
      fault,
      `${route.method.toUpperCase()} ${route.path}`,
      route,
    ]),
  );
}
