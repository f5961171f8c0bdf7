import type { INestApplication } from '@nestjs/common';
import { ValidationPipe } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { IdentityError, IdentityErrorCode } from './common/errors/identity-error';
import { ROOT_LOGGER } from './common/logging/logging.module';
import { requestLogging } from './common/logging/request-logging.middleware';
import { bodyDepthLimit } from './common/http/body-depth.middleware';
import type { DialectErrorRenderer } from './common/http/dialect-error.renderer';
import { DialectExceptionFilter } from './common/http/dialect-exception.filter';
import type { Dialect } from './common/http/dialect-routing';
import {
  FORM_MEDIA_TYPE,
  JSON_MEDIA_TYPES,
  requireSupportedMediaType,
} from './common/http/media-type.middleware';
import { NativeErrorRenderer } from './common/http/native-error.renderer';
import { completeOpenApiDocument } from './common/http/openapi-document';
import { RouteMethods } from './common/http/route-methods';
import { SECURITY_SCHEMES } from './common/http/security-schemes';
import { flattenValidationErrors } from './common/http/validation-errors';
import { AppConfig } from './config/app.config';
import { acceptHuaweiUtf8Spelling } from './dialects/huawei-iam/huawei-charset.middleware';
import { HuaweiIamErrorRenderer } from './dialects/huawei-iam/huawei-iam-error.renderer';
import { HUAWEI_SIGN_IN_PATH } from './dialects/huawei-iam/huawei-iam.controller';
import { IDAAS_SDK_SIGN_IN_PATH } from './dialects/idaas/sdk/idaas-sdk.controller';
import { PasswordHasher } from './hashing/password-hasher.service';
import {
  shedPasswordGrantsWhenSaturated,
  shedWhenSaturated,
} from './hashing/shed-when-saturated.middleware';
import { IdaasErrorRenderer } from './dialects/idaas/idaas-error.renderer';
import { TencentCiamErrorRenderer } from './dialects/tencent-ciam/tencent-ciam-error.renderer';
import { METRICS_TOKEN_SCHEME } from './metrics/metrics-token.scheme';

/** The error renderer of each dialect: the exception filter's, and the OpenAPI document's examples. */
const DIALECT_RENDERERS: Readonly<Record<Dialect, DialectErrorRenderer>> = {
  native: new NativeErrorRenderer(),
  tencent: new TencentCiamErrorRenderer(),
  huawei: new HuaweiIamErrorRenderer(),
  'idaas-tenant': new IdaasErrorRenderer('tenant'),
  'idaas-sdk': new IdaasErrorRenderer('sdk'),
};

/**
 * Everything the HTTP layer needs beyond the module graph; production (`main.ts`) and every e2e
 * test call this same function, so tests exercise what runs.
 */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  // First, so that every request, even one refused before routing, has an id and a log line.
  app.use(requestLogging(app.get(ROOT_LOGGER)));
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(securityHeaders());
  // Before the body is read: excess sign-ins are refused for a few microseconds each.
  app.use(
    shedWhenSaturated(app.get(PasswordHasher), [HUAWEI_SIGN_IN_PATH, IDAAS_SDK_SIGN_IN_PATH]),
  );
  app.use(acceptHuaweiUtf8Spelling);
  // Before the parsers: a body they would skip must not reach a controller as `{}`.
  app.use(requireSupportedMediaType());
  app.useBodyParser('json', {
    limit: config.bodyLimitBytes,
    strict: true,
    type: [...JSON_MEDIA_TYPES],
  });
  app.useBodyParser('urlencoded', {
    limit: config.bodyLimitBytes,
    extended: false,
    parameterLimit: 100,
    type: FORM_MEDIA_TYPE,
  });
  // Before any pipe: class-transformer recurses once per level of nesting.
  app.use(bodyDepthLimit());
  // Password grants, known only once the body is parsed; still before routing and client auth.
  app.use(shedPasswordGrantsWhenSaturated(app.get(PasswordHasher)));
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      forbidUnknownValues: true,
      exceptionFactory: (errors) =>
        new IdentityError(IdentityErrorCode.INVALID_ARGUMENT, {
          fields: flattenValidationErrors(errors),
        }),
    }),
  );
  // One global filter, so that what fails before routing is rendered by the dialect of the path.
  app.useGlobalFilters(new DialectExceptionFilter(DIALECT_RENDERERS, RouteMethods.of(app)));
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
  return app;
}

/**
 * helmet, tuned for a JSON API that also serves Swagger UI at `/docs`: every answer gets
 * `X-Content-Type-Options: nosniff`, and nothing may frame any page (`frame-ancestors 'none'`,
 * `X-Frame-Options: DENY`). The CSP lets Swagger UI run: its scripts, styles and favicons come
 * from `/docs` itself (no inline script), its HTML carries inline `<style>` and its components
 * set inline styles, its icons are `data:` images, and it fetches `/docs-json` from self. No
 * `upgrade-insecure-requests`, which would break `/docs` over plain HTTP on localhost. HSTS stays
 * helmet's default (365 days, `includeSubDomains`): browsers ignore it over plain HTTP and keep
 * it behind TLS.
 */
function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
      },
    },
    frameguard: { action: 'deny' },
  });
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tessera')
    .setDescription(
      'Identity service: users, passwords, OAuth 2.0 / OpenID Connect tokens, and the password ' +
        'APIs of Tencent Cloud CIAM, Huawei Cloud IAM and IDaaS (Bamboo Cloud / OneAccess).',
    )
    .setVersion('0.1.0')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'Access token from POST /oauth2/token',
      },
      SECURITY_SCHEMES.bearer,
    )
    .addBasicAuth(
      {
        type: 'http',
        scheme: 'basic',
        description:
          'OAuth client authentication: client_id:client_secret, each form-urlencoded (RFC 6749 §2.3.1). ' +
          'Instead of it (never with it), a client may send client_id and client_secret in the body; ' +
          'public clients (spa, mobile) send client_id alone.',
      },
      SECURITY_SCHEMES.clientBasic,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Auth-Token',
        description: 'Opaque token from POST /v3/auth/tokens',
      },
      SECURITY_SCHEMES.authToken,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-State-Token',
        description:
          'Single-use state token of a forced password change (5 minutes), from a sign-in that answered PASSWORD_EXPIRED or PASSWORD_WARN',
      },
      SECURITY_SCHEMES.stateToken,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'query',
        name: 'client_secret',
        description:
          'IDaaS tenant token endpoint: client_id and client_secret in the query string (an m2m application with the admin scope)',
      },
      SECURITY_SCHEMES.idaasQueryClient,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description: 'The METRICS_TOKEN of the deployment (GET /metrics only)',
      },
      METRICS_TOKEN_SCHEME,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-client-id',
        description:
          'IDaaS SDK: the client_id of a registered application (public: no secret), sent with the device headers on every SDK request',
      },
      SECURITY_SCHEMES.idaasSdkClient,
    )
    .build();
  return completeOpenApiDocument(SwaggerModule.createDocument(app, config), {
    renderers: DIALECT_RENDERERS,
    issuer: app.get(AppConfig).issuer,
  });
}
