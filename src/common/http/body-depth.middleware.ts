import type { NextFunction, Request, Response } from 'express';
import { IdentityError, IdentityErrorCode } from '../errors/identity-error';

/**
 * Deepest JSON nesting a request body may have. No request Tessera accepts nests past 6 levels
 * (Huawei's `auth.identity.password.user.domain.name`); class-transformer recurses per level and
 * overflows the stack at a few thousand, which a 16 KiB body reaches easily.
 */
export const MAX_BODY_DEPTH = 32;

/** Whether `value` nests objects or arrays deeper than `maxDepth` (a flat object is depth 1). */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  // An explicit stack, because recursion is exactly what a hostile body would overflow.
  const pending: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 1 }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (typeof item.node !== 'object' || item.node === null) continue;
    if (item.depth > maxDepth) return true;
    for (const child of Object.values(item.node))
      pending.push({ node: child, depth: item.depth + 1 });
  }
  return false;
}

/**
 * Runs right after the body parsers, before any pipe transforms the body: a body nested deeper
 * than `maxDepth` is refused as INVALID_ARGUMENT (a 4xx in every dialect), never a stack overflow.
 */
export function bodyDepthLimit(maxDepth: number = MAX_BODY_DEPTH) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    if (exceedsDepth(request.body, maxDepth)) {
      next(new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, { reason: 'nesting too deep' }));
      return;
    }
    next();
  };
}
