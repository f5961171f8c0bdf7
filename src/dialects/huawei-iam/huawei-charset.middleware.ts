import type { NextFunction, Request, Response } from 'express';
import { dialectOfPath } from '../../common/http/dialect-routing';

const UTF8_WITHOUT_HYPHEN = /charset\s*=\s*"?utf8"?/i;

/**
 * Huawei clients (seed 003, the SDK) send `application/json;charset=utf8`, which body-parser
 * rejects as an unknown charset; it is UTF-8 by another name. Only Huawei's paths take that
 * spelling, so only they are rewritten. Installed before the body parsers (app.setup.ts).
 */
export function acceptHuaweiUtf8Spelling(
  request: Request,
  _response: Response,
  next: NextFunction,
): void {
  const type = request.headers['content-type'];
  if (type && UTF8_WITHOUT_HYPHEN.test(type) && dialectOfPath(request.path) === 'huawei') {
    request.headers['content-type'] = type.replace(UTF8_WITHOUT_HYPHEN, 'charset=utf-8');
  }
  next();
}
