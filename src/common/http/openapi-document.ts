import { STATUS_CODES } from 'node:http';
import type {
  HeadersObject,
  OpenAPIObject,
  OperationObject,
  PathItemObject,
  ResponseObject,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { IdentityError, IdentityErrorCode } from '../errors/identity-error';
import { type DeclaredErrors, IDENTITY_ERRORS_EXTENSION } from './api-errors.decorator';
import type { DialectErrorRenderer, WireError } from './dialect-error.renderer';
import { type Dialect, dialectOfPath } from './dialect-routing';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Details that make an example look like the real answer (the headers they add, mostly). */
const EXAMPLE_DETAILS: Partial<Record<IdentityErrorCode, Record<string, unknown>>> = {
  [IdentityErrorCode.SERVICE_BUSY]: { retryAfterSeconds: 1 },
  [IdentityErrorCode.OTP_RATE_LIMITED]: { retryAfterSeconds: 60 },
};

const HEADER_DESCRIPTIONS: Record<string, string> = {
  'WWW-Authenticate':
    'The authentication scheme to use, and what was wrong (RFC 6750 §3, RFC 7617)',
  'Retry-After': 'Seconds to wait before retrying',
  'Cache-Control': 'no-store',
  Allow: 'The methods the path has',
};

export interface OpenApiCompletion {
  /** Renders the errors of each dialect's paths, as the exception filter does. */
  renderers: Readonly<Record<Dialect, DialectErrorRenderer>>;
  /** `ISSUER`: the URL clients use, and so the document's server. */
  issuer: string;
}

/**
 * What the decorators cannot write: the server, `security: []` on public routes (every route has
 * `@Auth` or `@Public`, and `@Auth` always writes a security requirement), and the error answers
 * each route declares (`ApiErrors`, `@Auth`), rendered by the dialect of its path.
 */
export function completeOpenApiDocument(
  document: OpenAPIObject,
  { renderers, issuer }: OpenApiCompletion,
): OpenAPIObject {
  document.servers = [{ url: issuer, description: 'This deployment (ISSUER)' }];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation.security ??= [];
      const extensions = operation as unknown as Record<string, unknown>;
      const declared = extensions[IDENTITY_ERRORS_EXTENSION] as DeclaredErrors | undefined;
      delete extensions[IDENTITY_ERRORS_EXTENSION];
      if (declared)
        documentErrors(operation, declared, renderers[dialectOfPath(path)], {
          request: request(path, issuer),
          allow: allowedMethods(item),
        });
    }
  }
  return document;
}

/** Adds each declared error, grouped by status; a status documented by hand keeps its own body. */
function documentErrors(
  operation: OperationObject,
  declared: DeclaredErrors,
  renderer: DialectErrorRenderer,
  { request, allow }: { request: Request; allow: string[] },
): void {
  const byStatus = new Map<number, Array<[IdentityErrorCode, WireError]>>();
  for (const code of declared.codes) {
    const details = { ...EXAMPLE_DETAILS[code] };
    if (code === IdentityErrorCode.INSUFFICIENT_SCOPE) details.missing = declared.scopes;
    if (code === IdentityErrorCode.METHOD_NOT_ALLOWED) details.allow = allow;
    const wire = renderer.describe(new IdentityError(code, details), request);
    byStatus.set(wire.status, [...(byStatus.get(wire.status) ?? []), [code, wire]]);
  }
  for (const [status, answers] of [...byStatus].sort(([a], [b]) => a - b)) {
    const key = String(status);
    const existing = operation.responses[key] as ResponseObject | undefined;
    if (existing?.content) continue;
    const response: ResponseObject = existing ?? { description: describeStatus(status, declared) };
    const examples = answers.filter(([, wire]) => wire.body !== undefined);
    if (examples.length > 0) {
      response.content = {
        'application/json': {
          examples: Object.fromEntries(
            examples.map(([code, wire]) => [code, { summary: summaryOf(wire), value: wire.body }]),
          ),
        },
      };
    }
    const headers: HeadersObject = { ...response.headers };
    for (const [, wire] of answers) {
      for (const [name, value] of Object.entries(wire.headers ?? {})) {
        headers[name] ??= {
          description: HEADER_DESCRIPTIONS[name] ?? name,
          schema: { type: 'string', example: value },
        };
      }
    }
    if (Object.keys(headers).length > 0) response.headers = headers;
    operation.responses[key] = response;
  }
}

/** The methods of a path, as a 405's `Allow` lists them: upper case, sorted, HEAD wherever GET is. */
function allowedMethods(item: PathItemObject): string[] {
  const methods = new Set(METHODS.filter((method) => item[method]).map((m) => m.toUpperCase()));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

function describeStatus(status: number, declared: DeclaredErrors): string {
  const phrase = STATUS_CODES[status] ?? 'Error';
  if (status === 403 && declared.scopes.length > 0)
    return `${phrase}: the token lacks the scope ${declared.scopes.map((s) => `\`${s}\``).join(', ')}, or the user may not act now (see the examples)`;
  if (status === 405)
    return `${phrase}: another method on this path; \`Allow\` lists the path's methods`;
  if (status === 413) return `${phrase}: the body is over the size limit`;
  if (status === 415) return `${phrase}: the body is in a media type the route does not take`;
  if (status === 503)
    return `${phrase}: the database is unreachable or the service is saturated; retry after \`Retry-After\` seconds`;
  return `${phrase} (see the examples)`;
}

/** The wire error code of an example, as its dialect names it, for the examples menu. */
function summaryOf(wire: WireError): string {
  const body = wire.body as Record<string, unknown> | undefined;
  const nested = body?.error as Record<string, unknown> | undefined;
  const code = body?.error_code ?? (typeof body?.error === 'string' ? body.error : nested?.code);
  return typeof code === 'string' || typeof code === 'number' ? String(code) : String(wire.status);
}

/** A stand-in for a request to `path` on the issuer's host: what renderers read to word errors. */
function request(path: string, issuer: string): Request {
  const url = new URL(issuer);
  const headers: Record<string, string> = { host: url.host };
  return {
    path,
    headers,
    protocol: url.protocol.replace(/:$/, ''),
    get: (name: string) => headers[name.toLowerCase()],
  } as unknown as Request;
}
