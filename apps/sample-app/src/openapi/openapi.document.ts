import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '../config/app-config';
import { BEARER_AUTH, COOKIE_AUTH, METRICS_AUTH } from './api-session.decorator';
import { declareSessionResponseHeaders } from './session-response-headers';

/** The OpenAPI document of the sample app, built from the controllers' decorators. */
export function createOpenApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  // The cookie's name follows COOKIE_SECURE (the __Host- prefix requires Secure).
  const cookieName = config.cookieSecure ? '__Host-sid' : 'sid';
  const document = new DocumentBuilder()
    .setTitle('nest-session sample app')
    .setDescription(
      'Server-side sessions: cookie login for browsers, bearer tokens for API clients. Every error ' +
        'is `{ statusCode, error, message }` with a stable snake_case `error` code.',
    )
    .setVersion('0.1.0')
    .addCookieAuth(
      cookieName,
      { type: 'apiKey', in: 'cookie', name: cookieName, description: 'Set by POST /auth/login.' },
      COOKIE_AUTH,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        // An opaque 256-bit random token (base64url), looked up by its hash: not a JWT.
        bearerFormat: 'opaque',
        description: 'The token from POST /auth/token.',
      },
      BEARER_AUTH,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'METRICS_TOKEN',
        description:
          'The METRICS_TOKEN of the deployment: required by GET /metrics when set; gives GET /health/ready its report.',
      },
      METRICS_AUTH,
    )
    .build();
  const created = SwaggerModule.createDocument(app, document);
  declareSessionResponseHeaders(created);
  return created;
}

/**
 * Swagger UI at /docs and the document at /docs-json. swagger-ui's page loads its scripts from
 * files under /docs (no inline script), so it runs under the app's CSP; see security-headers.ts for
 * the one relaxation (inline styles) on that path.
 */
export function useOpenApi(app: INestApplication, config: AppConfig): void {
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app, config), {
    jsonDocumentUrl: 'docs-json',
    raw: ['json'],
    // No call to the public validator.swagger.io (the CSP would block its badge anyway).
    swaggerOptions: { validatorUrl: null },
  });
}
