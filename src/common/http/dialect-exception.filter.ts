import { type ArgumentsHost, Catch, type ExceptionFilter, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IdentityError, IdentityErrorCode } from '../errors/identity-error';
import type { DialectErrorRenderer } from './dialect-error.renderer';
import { type Dialect, dialectOfPath } from './dialect-routing';
import type { RouteMethods } from './route-methods';

/**
 * The one exception filter, registered globally so that it also sees what fails before routing
 * (body parsing, size and depth limits, unknown paths): it picks the renderer of the dialect that
 * owns the request path, and turns "no route" into 405 where the path exists for other methods.
 */
@Catch()
export class DialectExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly renderers: Readonly<Record<Dialect, DialectErrorRenderer>>,
    private readonly routes: RouteMethods,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const renderer = this.renderers[dialectOfPath(request.path)];
    renderer.render(this.methodNotAllowed(exception, request) ?? exception, request, response);
  }

  /**
   * The router's "no route" (Nest's not-found handler throws NotFoundException; the domain never
   * throws HttpException) becomes 405 when the path has routes for other methods. A NOT_FOUND a
   * handler throws (Huawei's invalid subject token) is an answer, not a routing failure.
   */
  private methodNotAllowed(exception: unknown, request: Request): IdentityError | undefined {
    if (!(exception instanceof NotFoundException)) return undefined;
    const allow = this.routes.allowedFor(request.method, request.path);
    if (allow.length === 0) return undefined;
    return new IdentityError(IdentityErrorCode.METHOD_NOT_ALLOWED, { allow });
  }
}
