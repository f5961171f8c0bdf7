import { type ArgumentsHost, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IdentityError as DomainError, IdentityErrorCode } from '../errors/identity-error';
import { DialectErrorRenderer, type WireError } from './dialect-error.renderer';
import { DialectExceptionFilter } from './dialect-exception.filter';
import type { Dialect } from './dialect-routing';
import { RouteMethods } from './route-methods';

/** Records which dialect rendered what, instead of writing a response. */
class RecordingRenderer extends DialectErrorRenderer {
  readonly seen: Array<{ code: IdentityErrorCode; allow: unknown }> = [];

  constructor(readonly dialect: Dialect) {
    super();
  }

  override render(exception: unknown): void {
    const error = exception;
    this.seen.push({
      code: error instanceof DomainError ? error.code : IdentityErrorCode.NOT_FOUND,
      allow: error instanceof DomainError ? error.details.allow : undefined,
    });
  }

  protected toWire(): WireError {
    return { status: 500, body: undefined };
  }
}

describe(DialectExceptionFilter.name, () => {
  const renderers = {
    native: new RecordingRenderer('native'),
    tencent: new RecordingRenderer('tencent'),
    huawei: new RecordingRenderer('huawei'),
    'idaas-tenant': new RecordingRenderer('idaas-tenant'),
    'idaas-sdk': new RecordingRenderer('idaas-sdk'),
  };
  // One route: POST /v3/auth/tokens.
  const routes = new RouteMethods(() => ({
    stack: [
      {
        route: { methods: { post: true } },
        match: (path: string) => path === '/v3/auth/tokens',
      },
    ],
  }));
  const filter = new DialectExceptionFilter(renderers, routes);
  const host = (method: string, path: string): ArgumentsHost =>
    ({
      switchToHttp: () => ({
        getRequest: () => ({ method, path }) as Request,
        getResponse: () => ({}) as Response,
      }),
    }) as ArgumentsHost;

  beforeEach(() => {
    for (const renderer of Object.values(renderers)) renderer.seen.length = 0;
  });

  it('should hand an error to the renderer of the path’s dialect', () => {
    filter.catch(new DomainError(IdentityErrorCode.WRONG_PASSWORD), host('POST', '/otp/send'));
    expect(renderers.tencent.seen).toEqual([
      { code: IdentityErrorCode.WRONG_PASSWORD, allow: undefined },
    ]);
    expect(renderers.native.seen).toEqual([]);
  });

  it('should turn the router’s 404 on a known path into 405 with the allowed methods', () => {
    filter.catch(
      new NotFoundException('Cannot GET /v3/auth/tokens'),
      host('GET', '/v3/auth/tokens'),
    );
    expect(renderers.huawei.seen).toEqual([
      { code: IdentityErrorCode.METHOD_NOT_ALLOWED, allow: ['POST'] },
    ]);
  });

  it('should leave the router’s 404 on an unknown path alone', () => {
    filter.catch(new NotFoundException('Cannot GET /v3/nothing'), host('GET', '/v3/nothing'));
    expect(renderers.huawei.seen).toEqual([
      { code: IdentityErrorCode.NOT_FOUND, allow: undefined },
    ]);
  });

  it('should leave a NOT_FOUND thrown by a handler alone', () => {
    filter.catch(new DomainError(IdentityErrorCode.NOT_FOUND), host('GET', '/v3/auth/tokens'));
    expect(renderers.huawei.seen).toEqual([
      { code: IdentityErrorCode.NOT_FOUND, allow: undefined },
    ]);
  });
});
