import type request from 'supertest';

/** What a client sees of an answer: status, body, content type and (when sent) the challenge. */
export interface Wire {
  status: number;
  body: unknown;
  type: string | undefined;
  challenge?: string;
}

export function wire(res: request.Response): Wire {
  const seen: Wire = {
    status: res.status,
    body: res.body as unknown,
    type: res.headers['content-type'],
  };
  const challenge = res.headers['www-authenticate'];
  if (challenge !== undefined) seen.challenge = challenge;
  return seen;
}
