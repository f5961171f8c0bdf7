import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { IdentityError, IdentityErrorCode } from '../common/errors/identity-error';
import { FORM_MEDIA_TYPE } from '../common/http/media-type.middleware';

/**
 * RFC 6750 §2.2: a bearer token may come as the `access_token` parameter of a form-encoded POST
 * body (OIDC Core §5.3.1 allows it on the UserInfo endpoint). It is moved into the
 * `Authorization` header, so the one Bearer scheme checks it like any other. A request that sends
 * the token both ways breaks RFC 6750 §2 ("MUST NOT use more than one method"): invalid_request.
 */
@Injectable()
export class FormAccessTokenMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    const body = request.body as Record<string, unknown> | undefined;
    const token = body?.access_token;
    if (token === undefined || !request.is(FORM_MEDIA_TYPE)) return next();
    if (typeof token !== 'string' || request.headers.authorization !== undefined) {
      throw new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
        fields: [
          {
            field: 'access_token',
            problems: ['must be one string, and not sent with an Authorization header'],
          },
        ],
      });
    }
    delete body?.access_token;
    request.headers.authorization = `Bearer ${token}`;
    next();
  }
}
