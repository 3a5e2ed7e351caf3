/**
 * The OpenAPI document published at /api/docs: the routes' own schemas, plus the one error shape
 * every route may answer with (SPEC §7), so generated clients know `error.code` and its codes.
 */
import type { SwaggerOptions } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import { Type } from 'typebox';
import { ERROR_CODES } from '../contract/errors.ts';

const ErrorResponse = {
  description:
    'An error: `error.code` is stable (its HTTP status is fixed per code), `error.message` is for people',
  // explicit content type: CSV routes produce text/csv, but their errors are JSON
  content: {
    'application/json': {
      schema: Type.Object({
        error: Type.Object({
          code: Type.Enum(Object.keys(ERROR_CODES)),
          message: Type.String(),
          requestId: Type.Optional(Type.String()),
          details: Type.Optional(Type.Unknown()),
        }),
      }),
    },
  },
};

/** Routes anyone may call. */
const PUBLIC_ROUTES = new Set([
  '/api/v1/health',
  '/api/v1/ready',
  '/api/v1/auth/login',
  '/api/v1/client/public-key',
]);
/** The portal API's two ways in (client routes name `license` themselves). */
const PORTAL_SECURITY = [{ bearer: [] }, { cookie: [] }];

/**
 * Adds to a route's documentation (the route itself is unchanged) the error answers and how it is
 * authenticated: public, `License <key>` (client routes say so), or a bearer token or the cookie.
 */
function documented(schema: FastifySchema | undefined, url: string): FastifySchema {
  const response = (schema?.response ?? {}) as Record<string, unknown>;
  const declared = (schema as { security?: unknown } | undefined)?.security;
  return {
    ...schema,
    security: declared ?? (PUBLIC_ROUTES.has(url) ? [] : PORTAL_SECURITY),
    response: { ...response, '4XX': ErrorResponse, '5XX': ErrorResponse },
  } as FastifySchema;
}

export const openApiOptions: SwaggerOptions = {
  openapi: {
    info: {
      title: 'licstat API',
      version: '1.0.0',
      description: 'License server and license-usage portal',
    },
    components: {
      securitySchemes: {
        license: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'License <activation code or project key>',
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'an API token from POST /api-tokens or `licstat token create`; writes need no CSRF header',
        },
        cookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'licstat_session',
          description:
            'the session cookie from POST /auth/login; every write made with it also sends the header X-CSRF-Token: <csrfToken from the login or GET /auth/me> (else 403 CSRF_TOKEN_INVALID)',
        },
      },
    },
  },
  transform: ({ schema, url }) => ({ schema: documented(schema, url), url }),
};
