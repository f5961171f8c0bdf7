import { applyDecorators } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { ApiResponse, DECORATORS } from '@nestjs/swagger';
import type { IdentityErrorCode } from '../errors/identity-error-code';

/**
 * The OpenAPI extension that carries a route's domain errors from its decorators to
 * `documentErrorResponses`, which renders them in the route's dialect and then removes it.
 */
export const IDENTITY_ERRORS_EXTENSION = 'x-identity-errors';

/** What a route declares it may answer: domain codes, and the scopes whose absence answers 403. */
export interface DeclaredErrors {
  codes: IdentityErrorCode[];
  scopes: string[];
}

type Handler = (...args: unknown[]) => unknown;

function declare(handler: Handler, errors: Partial<DeclaredErrors>): void {
  const extensions =
    (Reflect.getMetadata(DECORATORS.API_EXTENSION, handler) as Record<string, unknown>) ?? {};
  const previous = (extensions[IDENTITY_ERRORS_EXTENSION] as DeclaredErrors | undefined) ?? {
    codes: [],
    scopes: [],
  };
  const merged: DeclaredErrors = {
    codes: [...new Set([...previous.codes, ...(errors.codes ?? [])])],
    scopes: [...new Set([...previous.scopes, ...(errors.scopes ?? [])])],
  };
  Reflect.defineMetadata(
    DECORATORS.API_EXTENSION,
    { ...extensions, [IDENTITY_ERRORS_EXTENSION]: merged },
    handler,
  );
}

/**
 * Declares domain errors a route (or every route of a controller) may answer. The document shows
 * each one as its dialect renders it (status, body, headers), so the documented answers are the
 * real ones. Declarations add up: `@Auth` declares those of its scheme, a route adds its own.
 */
export function ApiErrors(
  errors: Partial<DeclaredErrors> | IdentityErrorCode,
  ...more: IdentityErrorCode[]
): MethodDecorator & ClassDecorator {
  const declared: Partial<DeclaredErrors> =
    typeof errors === 'string' ? { codes: [errors, ...more] } : errors;
  const decorator = (
    target: object,
    _key?: string | symbol,
    descriptor?: TypedPropertyDescriptor<unknown>,
  ): void => {
    if (descriptor) {
      declare(descriptor.value as Handler, declared);
      return;
    }
    // On a controller: every route handler it has (class decorators run after method ones).
    const prototype = (target as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const value = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
      if (typeof value === 'function' && Reflect.hasMetadata(METHOD_METADATA, value))
        declare(value as Handler, declared);
    }
  };
  return decorator as MethodDecorator & ClassDecorator;
}

/**
 * A route whose callers are rate-limited (sign-in, password change and reset, code sends): too
 * many attempts answer 429, in the route's dialect, with `Retry-After`.
 */
export const ApiRateLimited = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiResponse({
      status: 429,
      description:
        'Too many attempts from this client or for this account; retry after `Retry-After` seconds. ' +
        "The body is the dialect's error format.",
      headers: {
        'Retry-After': {
          description: 'Seconds to wait before retrying',
          schema: { type: 'integer', minimum: 1 },
        },
      },
    }),
  );
