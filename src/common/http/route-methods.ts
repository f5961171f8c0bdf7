import type { NestExpressApplication } from '@nestjs/platform-express';

/** The parts of Express 5's router (package `router` 2.x) read here; @types/express lacks them. */
interface RouterLayer {
  route?: { methods: Record<string, boolean | undefined> };
  match?: (path: string) => unknown;
}
interface Router {
  stack: readonly RouterLayer[];
}

// The router is a function with a `stack`, as Express' own routers are.
const isRouter = (value: unknown): value is Router =>
  (typeof value === 'function' || (typeof value === 'object' && value !== null)) &&
  Array.isArray((value as Partial<Router>).stack);

/**
 * The HTTP methods the application's routes accept for a path, read from the Express router, so a
 * known path asked with another method is answered 405 with `Allow` (RFC 9110 §15.5.6) instead of
 * Express' 404. Read at request time: Nest registers its routes after `configureApp` runs.
 */
export class RouteMethods {
  constructor(private readonly router: () => unknown) {}

  static of(app: NestExpressApplication): RouteMethods {
    const express = app.getHttpAdapter().getInstance() as { router?: unknown };
    return new RouteMethods(() => express.router);
  }

  /**
   * The methods of the routes that match `path` but not `method`, sorted, upper case, with HEAD
   * wherever GET is; empty when no route matches the path under another method. Called once the
   * router found no route for (`method`, `path`): a layer that accepts `method` and still let the
   * request through is middleware Nest mounts as a route for every method (`forRoutes('*')`), not
   * an endpoint, so it is left out.
   */
  allowedFor(method: string, path: string): string[] {
    const router = this.router();
    if (!isRouter(router)) return [];
    const requested = method.toLowerCase();
    const methods = new Set<string>();
    for (const layer of router.stack) {
      const route = layer.route;
      if (!route || typeof layer.match !== 'function') continue;
      if (route.methods._all || accepts(route.methods, requested)) continue;
      let matched: unknown;
      try {
        matched = layer.match(path);
      } catch {
        // A malformed %-escape in a parameter: the router itself rejects it before any route.
        continue;
      }
      if (!matched) continue;
      for (const [name, enabled] of Object.entries(route.methods)) {
        if (enabled) methods.add(name.toUpperCase());
      }
    }
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  }
}

/** As the router decides: a GET route also answers HEAD. */
function accepts(methods: Record<string, boolean | undefined>, method: string): boolean {
  return Boolean(methods[method] ?? (method === 'head' ? methods.get : false));
}
