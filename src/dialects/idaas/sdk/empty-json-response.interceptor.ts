import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import type { Response } from 'express';
import { type Observable, tap } from 'rxjs';

/**
 * Seed 004's success: `200`, `Content-Type: application/json` exactly, and no body. Set on the raw
 * response because Express's `res.set` (what `@Header` uses) appends `; charset=utf-8`.
 */
@Injectable()
export class EmptyJsonResponseInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        tap(() =>
          context
            .switchToHttp()
            .getResponse<Response>()
            .setHeader('Content-Type', 'application/json'),
        ),
      );
  }
}

/** A route that answers seed 004's empty JSON success. */
export const EmptyJsonResponse = (): MethodDecorator =>
  applyDecorators(UseInterceptors(EmptyJsonResponseInterceptor));
