import type { NextFunction, Request, Response } from 'express';
import { IdentityError, IdentityErrorCode } from '../errors/identity-error';

/**
 * Deepest JSON nesting a request body may have. No request Tessera accepts nests past 6 levels
 * (Huawei's `auth.identity.password.user.domain.name`); class-transformer recurses per level and
 * overflows the stack at a few thousand, which a 16 KiB body reaches easily.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * Keys no request field is named after: `Object.prototype`'s own members (`constructor`,
 * `hasOwnProperty`, `__proto__`, …) and `prototype`. class-transformer and class-validator read
 * them through the prototype chain, so `forbidNonWhitelisted` lets them pass as an empty update.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);

/** What is wrong with a parsed body's shape, before anything reads it; null when nothing is. */
export function bodyShapeProblem(
  value: unknown,
  maxDepth: number,
): 'nesting too deep' | 'reserved key' | null {
  // An explicit stack, because recursion is exactly what a hostile body would overflow.
  const pending: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 1 }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (typeof item.node !== 'object' || item.node === null) continue;
    if (item.depth > maxDepth) return 'nesting too deep';
    for (const [key, child] of Object.entries(item.node)) {
      if (PROTOTYPE_KEYS.has(key)) return 'reserved key';
      pending.push({ node: child, depth: item.depth + 1 });
    }
  }
  return null;
}

/** Whether `value` nests objects or arrays deeper than `maxDepth` (a flat object is depth 1). */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  return bodyShapeProblem(value, maxDepth) === 'nesting too deep';
}

/**
 * Runs right after the body parsers, before any pipe transforms the body: a body nested deeper
 * than `maxDepth`, or with a key named after an `Object.prototype` member, is refused as
 * INVALID_ARGUMENT (a 4xx in every dialect), never a stack overflow or a silent empty update.
 */
export function bodyDepthLimit(maxDepth: number = MAX_BODY_DEPTH) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    const problem = bodyShapeProblem(request.body, maxDepth);
    if (problem) {
      next(new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, { reason: problem }));
      return;
    }
    next();
  };
}
