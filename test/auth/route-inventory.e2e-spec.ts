import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AUTH_REQUIREMENT_KEY } from '../../src/auth/decorators/auth.decorator';
import { IS_PUBLIC_KEY } from '../../src/auth/decorators/public.decorator';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';

interface RouteEntry {
  route: string;
  guarded: string;
}

describe('Route inventory', () => {
  let app: NestExpressApplication;
  let routes: RouteEntry[];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule, DiscoveryModule],
    }).compile();
    app = configureApp(
      moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false }),
    );
    await app.init();
    const discovery = app.get(DiscoveryService);
    const scanner = app.get(MetadataScanner);
    const reflector = app.get(Reflector);
    routes = discovery.getControllers().flatMap(({ instance, metatype }) => {
      if (!instance || !metatype) return [];
      const prototype = Object.getPrototypeOf(instance) as object;
      return scanner.getAllMethodNames(prototype).flatMap((name) => {
        const handler = (prototype as Record<string, unknown>)[name] as () => unknown;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) return [];
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const base = Reflect.getMetadata(PATH_METADATA, metatype) as string;
        // The nearest declaration wins, as in AuthenticationGuard.
        const guarded = [handler, metatype]
          .map((target) =>
            reflector.get<boolean | undefined>(IS_PUBLIC_KEY, target)
              ? 'public'
              : reflector.get<{ scheme: string } | undefined>(AUTH_REQUIREMENT_KEY, target)?.scheme,
          )
          .find(Boolean);
        return [
          {
            route: `${method} /${[base, path].filter((p) => p && p !== '/').join('/')}`,
            guarded: guarded ?? 'NONE',
          },
        ];
      });
    });
  });
  afterAll(() => app.close());

  it('should find the routes of every module', () => {
    expect(routes.map((r) => r.route)).toEqual(
      expect.arrayContaining([
        'POST /oauth2/token',
        'GET /admin/users/:user_id',
        'POST /change_user_password',
        'POST /reset_user_password',
        'GET /health/live',
      ]),
    );
  });

  it('should have @Auth or @Public on every route (default deny)', () => {
    expect(routes.filter((r) => r.guarded === 'NONE')).toEqual([]);
  });

  it('should keep public routes to the ones meant to be public', () => {
    expect(
      routes
        .filter((r) => r.guarded === 'public')
        .map((r) => r.route)
        .sort(),
    ).toEqual(
      [
        'GET /.well-known/jwks.json',
        'GET /.well-known/openid-configuration',
        'GET /.well-known/oauth-authorization-server',
        'GET /health/live',
        'GET /health/ready',
        // Huawei IAM's sign-in: the credentials are in the body.
        'POST /v3/auth/tokens',
      ].sort(),
    );
  });

  it('should document every route in the OpenAPI document', async () => {
    const { buildOpenApiDocument } = await import('../../src/app.setup');
    const document = buildOpenApiDocument(app);
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map(
        (method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
      ),
    );
    expect(documented.sort()).toEqual(expect.arrayContaining(routes.map((r) => r.route).sort()));
  });
});
