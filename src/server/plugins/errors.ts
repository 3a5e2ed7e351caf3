/**
 * The one place where failures become HTTP answers: {error: {code, message, requestId}}.
 * Domain errors keep their code; Fastify's own (validation, bad JSON, body size) get stable codes;
 * anything unexpected is logged and answered as INTERNAL without a stack trace.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorCode, isLicstatError } from '../../contract/errors.ts';
import type { App } from '../types.ts';

function fastifyCode(err: FastifyError): { status: number; code: ErrorCode; message: string } | null {
  if (err.validation) {
    const first = err.validation[0];
    const where = err.validationContext ?? 'request';
    const path = first?.instancePath ? `${where}${first.instancePath.replace(/\//g, '.')}` : where;
    // Ajv (query strings, parameters) says "must NOT have additional properties": name the one
    const unknown = (first?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
    const message =
      first?.keyword === 'additionalProperties' && unknown
        ? `has an unknown property: ${unknown}`
        : (first?.message ?? 'is invalid');
    return { status: 400, code: 'VALIDATION_FAILED', message: `${path} ${message}` };
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'INVALID_JSON', message: 'the request body is not valid JSON' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'BODY_TOO_LARGE', message: 'the request body is too large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'send JSON with Content-Type: application/json',
      };
    case 'FST_ERR_RATE_LIMITED':
      return { status: 429, code: 'RATE_LIMITED', message: 'too many requests; retry later' };
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return { status: err.statusCode, code: 'VALIDATION_FAILED', message: err.message };
  }
  return null;
}

export function registerErrorHandling(app: App): void {
  app.setErrorHandler((err, request, reply) => {
    if (isLicstatError(err)) {
      // RFC 9110: a 401 names the scheme that would authenticate the request
      if (err.status === 401)
        reply.header(
          'www-authenticate',
          err.code === 'LICENSE_NOT_FOUND' ? 'License realm="licstat client API"' : 'Bearer realm="licstat"',
        );
      return reply.status(err.status).send({
        error: {
          code: err.code,
          message: err.message,
          requestId: request.id,
          ...(err.details ? { details: err.details } : {}),
        },
      });
    }
    // Dates past what Date/Temporal can represent come only from request input (a period bound
    // like -271821-04-20): a 400, whichever route forgot to bound them.
    if (
      err instanceof RangeError &&
      /out-of-bounds date|invalid time value|invalid date/i.test(err.message)
    ) {
      return reply.status(400).send({
        error: {
          code: 'INVALID_PERIOD',
          message: 'a date is outside the supported range (1970 to 2200)',
          requestId: request.id,
        },
      });
    }
    const known = fastifyCode(err as FastifyError);
    if (known) {
      return reply
        .status(known.status)
        .send({ error: { code: known.code, message: known.message, requestId: request.id } });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({
      error: { code: 'INTERNAL', message: 'internal error; quote the request id', requestId: request.id },
    });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: {
        code: 'ROUTE_NOT_FOUND',
        message: `no route ${request.method} ${request.url.split('?')[0]}`,
        requestId: request.id,
      },
    }),
  );
}

/**
 * Errors the router raises before any route or hook runs (a path parameter over maxParamLength,
 * a malformed %-escape): given to Fastify as `frameworkErrors`, so they keep the error shape too.
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const bad = err.code === 'FST_ERR_MAX_PARAM_LENGTH' || err.code === 'FST_ERR_BAD_URL';
  void reply.status(bad ? 400 : 500).send({
    error: {
      code: bad ? 'VALIDATION_FAILED' : 'INTERNAL',
      message:
        err.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? 'a path parameter is longer than 100 characters'
          : bad
            ? 'the URL is not valid'
            : 'internal error; quote the request id',
      requestId: request.id,
    },
  });
}
