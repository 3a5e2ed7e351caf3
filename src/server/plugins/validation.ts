/**
 * Request validation. Query strings, path parameters and headers are text: Ajv coerces them to
 * the schema's types ("5" → 5) and fills defaults. JSON bodies arrive typed, so they are checked
 * with TypeBox's own compiler, which coerces nothing: a client, script or form sending "5", null
 * or true where a number belongs gets a 400 naming the field, not a guess (Ajv's coercion turned
 * null into "" or 0 and a lone object into an array). No body schema has a default to fill.
 */
import AjvCompiler, { type ValidatorFactory } from '@fastify/ajv-compiler';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

/** Text fields that must say something carry this pattern: at least one character that is not a space. */
export const NOT_BLANK = '\\S';

function blankAware(
  issue: FastifySchemaValidationError | undefined,
): FastifySchemaValidationError | undefined {
  return issue?.keyword === 'pattern' && (issue.params as { pattern?: string }).pattern === NOT_BLANK
    ? { ...issue, message: 'must not be blank' }
    : issue;
}

const strictValidator: FastifySchemaCompiler<unknown> = ({ schema }) => {
  const compiled = Compile(schema as TSchema);
  const validate = (data: unknown): boolean => {
    if (compiled.Check(data)) return true;
    const issues = [...compiled.Errors(data)] as FastifySchemaValidationError[];
    // "schema is false" (the additionalProperties sub-schema) says less than the keyword error beside it.
    issues.sort((a, b) => Number(a.keyword === 'boolean') - Number(b.keyword === 'boolean'));
    const first = blankAware(issues[0]);
    const extra = (first?.params as { additionalProperties?: string[] } | undefined)?.additionalProperties;
    validate.errors = first
      ? [extra?.length ? { ...first, message: `has an unknown property: ${extra.join(', ')}` } : first]
      : [];
    return false;
  };
  validate.errors = [] as FastifySchemaValidationError[];
  return validate;
};

/** Fastify's `ajv` option: the coercing Ajv for query strings, parameters and headers. */
export const AJV_OPTIONS = {
  customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false },
} as const;

/** Fastify's `schemaController.compilersFactory.buildValidator`: strict bodies, coerced text parts. */
export const buildValidator: ValidatorFactory = (externalSchemas, ajvOptions) => {
  const coercing = AjvCompiler()(externalSchemas, ajvOptions);
  return (route) =>
    route.httpPart === 'body'
      ? (strictValidator(route as Parameters<typeof strictValidator>[0]) as ReturnType<typeof coercing>)
      : coercing(route);
};
