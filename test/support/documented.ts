/**
 * Checks answers against the API's published OpenAPI document (/api/docs/json), as an outside
 * client generated from it would read them: routes serialised without their schema (the statistics
 * answers) are only as documented as this check proves.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { expect } from 'vitest';
import type { App } from '../../src/server/types.ts';

/** An operation's documented response, as the tests read it. */
export interface DocumentedResponse {
  content?: Record<string, { schema?: DocumentedSchema }>;
}
/** The parts of a JSON schema the tests look into. */
export interface DocumentedSchema {
  properties?: Record<string, DocumentedSchema>;
  enum?: unknown[];
  [keyword: string]: unknown;
}

export interface Documented {
  /** fails the test when `body` does not match what the document says `method path` answers with `status` */
  expectDocumented(method: string, path: string, status: number, body: unknown): void;
  doc: { paths: Record<string, Record<string, { responses: Record<string, DocumentedResponse> }>> };
}

export async function documentedAnswers(app: App): Promise<Documented> {
  const doc = (await app.inject('/api/docs/json')).json();
  const ajv = new Ajv({ strict: false, allErrors: true });
  const cache = new Map<string, ValidateFunction>();
  return {
    doc,
    expectDocumented(method, path, status, body) {
      const key = `${method} ${path} ${status}`;
      let validate = cache.get(key);
      if (!validate) {
        const responses = doc.paths[path]?.[method.toLowerCase()]?.responses;
        const response = responses?.[String(status)] ?? responses?.[`${String(status)[0]}XX`];
        const schema = response?.content?.['application/json']?.schema;
        expect(schema, `${key} is documented`).toBeDefined();
        validate = ajv.compile(schema);
        cache.set(key, validate);
      }
      const check = validate;
      expect(check(body) ? [] : check.errors, key).toEqual([]);
    },
  };
}
