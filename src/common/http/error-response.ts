import type { Request, Response } from 'express';

/** Sends a JSON error body with an exact content type (some dialects pin `;charset=UTF-8`). */
export function sendJson(
  response: Response,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/json; charset=utf-8',
): void {
  if (response.headersSent) return;
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.status(status);
  if (body === undefined) {
    response.end();
    return;
  }
  response.setHeader('Content-Type', contentType);
  response.end(JSON.stringify(body));
}

export function requestId(request: Request): string | undefined {
  const id = (request as Request & { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}
