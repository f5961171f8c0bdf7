import type { ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { AuthSchemeRegistry } from '../auth/schemes/auth-scheme';
import { IdentityErrorCode } from '../common/errors/identity-error';
import { AppConfig } from '../config/app.config';
import { MetricsTokenScheme } from './metrics-token.scheme';

const TOKEN = 'metrics-token-0123456789abcdef';

function scheme(env: Record<string, string>): MetricsTokenScheme {
  return new MetricsTokenScheme(new AuthSchemeRegistry(), AppConfig.fromEnvironment(env));
}

function context(authorization?: string): { request: Request; context: ExecutionContext } {
  const request = { headers: authorization ? { authorization } : {} } as Request;
  const ctx = {
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { request, context: ctx };
}

describe(MetricsTokenScheme.name, () => {
  it('should hide /metrics (404) in production without METRICS_TOKEN', async () => {
    const production = scheme({
      NODE_ENV: 'production',
      ISSUER: 'https://id.example.com',
      BCRYPT_COST: '12',
      SECRET_KEY: 'a-secret-key-of-at-least-32-characters!!',
    });
    const { request, context: ctx } = context();
    expect(production.isPresented(request)).toBe(true);
    await expect(production.authenticate(ctx)).rejects.toMatchObject({
      code: IdentityErrorCode.NOT_FOUND,
    });
  });

  it('should leave /metrics open in development without METRICS_TOKEN', async () => {
    await expect(
      scheme({ NODE_ENV: 'development' }).authenticate(context().context),
    ).resolves.toMatchObject({
      kind: 'client',
    });
  });

  it('should require the token once one is configured, in any environment', async () => {
    const guarded = scheme({ NODE_ENV: 'development', METRICS_TOKEN: TOKEN });
    expect(guarded.isPresented(context().request)).toBe(false);
    await expect(guarded.authenticate(context(`Bearer ${TOKEN}`).context)).resolves.toMatchObject({
      clientId: 'metrics-scraper',
    });
    await expect(guarded.authenticate(context(`bearer ${TOKEN}`).context)).resolves.toBeDefined();
    for (const wrong of [`Bearer ${TOKEN.toUpperCase()}`, `Bearer ${TOKEN} x`, 'Bearer ', TOKEN]) {
      await expect(guarded.authenticate(context(wrong).context)).rejects.toMatchObject({
        code: IdentityErrorCode.TOKEN_INVALID,
      });
    }
  });
});
