import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';

/** The headers seed 004 marks required, for the application `clientId`. */
export function sdkHeaders(clientId: string): Record<string, string> {
  return {
    'X-operating-sys-version': 'iOS 17.2',
    'X-device-fingerprint': '156aysdna213sc50',
    'X-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 13_3 like Mac OS X)',
    'X-client-id': clientId,
  };
}

/** An IDaaS error body. */
export const idaasError = (error_code: string, error_msg: string) => ({ error_code, error_msg });

/** The SUCCESS login result, with any tokens. */
export const SUCCESS = {
  status: 'SUCCESS',
  session_token: expect.any(String) as unknown,
  expire: expect.any(Number) as unknown,
  id_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) as unknown,
};

/** `POST /api/v2/sdk/login` at `clientId`. */
export function sdkLogin(
  app: NestExpressApplication,
  clientId: string,
  credentials: { user_name: string; password: string },
  language?: string,
): request.Test {
  const req = request(app.getHttpServer())
    .post('/api/v2/sdk/login')
    .set(sdkHeaders(clientId))
    .send(credentials);
  return language ? req.set('X-L', language) : req;
}

/** A SUCCESS login's id_token. */
export async function sdkIdToken(
  app: NestExpressApplication,
  clientId: string,
  credentials: { user_name: string; password: string },
): Promise<string> {
  const res = await sdkLogin(app, clientId, credentials).expect(200);
  expect(res.body).toEqual(SUCCESS);
  return res.body.id_token as string;
}
