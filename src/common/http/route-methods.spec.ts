import express from 'express';
import { RouteMethods } from './route-methods';

describe(RouteMethods.name, () => {
  const app = express();
  const ok = (_req: express.Request, res: express.Response) => res.end();
  app.get('/users/:id', ok);
  app.patch('/users/:id', ok);
  app.post('/token', ok);
  // What Nest mounts for middleware applied to every route: a route for every method.
  app.all('/{*path}', (_req, _res, next) => next());
  const routes = new RouteMethods(() => app.router);

  it.each([
    ['POST', '/users/u-1', ['GET', 'HEAD', 'PATCH']],
    ['DELETE', '/users/u-1', ['GET', 'HEAD', 'PATCH']],
    ['GET', '/token', ['POST']],
    ['OPTIONS', '/token', ['POST']],
  ])('should list what %s %s may use instead', (method, path, allow) => {
    expect(routes.allowedFor(method, path)).toEqual(allow);
  });

  it.each([
    ['GET', '/nothing'],
    ['GET', '/users/u-1/extra'],
    ['GET', '/users/%E0%A4%A'],
  ])('should list nothing for %s %s, which no route knows', (method, path) => {
    expect(routes.allowedFor(method, path)).toEqual([]);
  });

  it('should list nothing when there is no router', () => {
    expect(new RouteMethods(() => undefined).allowedFor('GET', '/token')).toEqual([]);
  });
});
