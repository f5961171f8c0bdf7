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
 * dialect must answer every one with its own 4xx.
 */
export const BODY_FAULTS = [
  'malformed JSON',
  'unsupported charset',
  'gzip-encoded header with a plain body',
  'body over the size limit',
  'more than 100 form parameters',
  'JSON nested 2,500 levels deep',
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
  }
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
  const routes: BodyRoute[] = [];
  for (const { route } of router.stack) {
    if (!route || route.path.includes('*') || route.path.includes('contract-probe')) continue;
    if (dialectOfPath(route.path) !== dialect) continue;
    for (const method of Object.keys(route.methods)) {
      if (method === 'post' || method === 'put' || method === 'patch') {
        routes.push({ method, path: route.path });
      }
    }
  }
  return routes;
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
