/**
 * Client routes validate with TypeBox's own compiler instead of the app's Ajv, which coerces
 * types ("5" → 5, true → 1, a lone object → [object]) for query strings. A licensed program
 * sending the wrong type gets a 400, not a guess.
 */
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

export const strictValidator: FastifySchemaCompiler<unknown> = ({ schema }) => {
  const compiled = Compile(schema as TSchema);
  const validate = (data: unknown): boolean => {
    if (compiled.Check(data)) return true;
    const issues = [...compiled.Errors(data)] as FastifySchemaValidationError[];
    // "schema is false" (the additionalProperties sub-schema) says less than the keyword error beside it.
    issues.sort((a, b) => Number(a.keyword === 'boolean') - Number(b.keyword === 'boolean'));
    const first = issues[0];
    const extra = (first?.params as { additionalProperties?: string[] } | undefined)?.additionalProperties;
    validate.errors = first
      ? [extra?.length ? { ...first, message: `has an unknown property: ${extra.join(', ')}` } : first]
      : [];
    return false;
  };
  validate.errors = [] as FastifySchemaValidationError[];
  return validate;
};
