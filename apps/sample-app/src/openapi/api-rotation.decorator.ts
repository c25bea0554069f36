import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import { CookieRotationSchema, TokenLoginSchema } from './response.schemas';
import { SESSION_COOKIE_HEADER } from './response-headers';

/** 200 with the rotated session: a new cookie and CSRF token, or a new bearer token. */
export function ApiRotationResponse(): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(CookieRotationSchema, TokenLoginSchema),
    ApiOkResponse({
      description:
        'The session rotated: cookie callers get a new cookie (Set-Cookie) and CSRF token, bearer callers a new token.',
      headers: { 'Set-Cookie': SESSION_COOKIE_HEADER },
      schema: {
        oneOf: [
          { $ref: getSchemaPath(CookieRotationSchema) },
          { $ref: getSchemaPath(TokenLoginSchema) },
        ],
      },
    }),
  );
}
