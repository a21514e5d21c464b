/**
 * Validates request bodies against OpenRouter's published OpenAPI spec, read from
 * `../shared/openrouter-openapi.yaml` beside the project (never committed into it).
 */
import Ajv, { type AnySchema } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const SPEC_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/openrouter-openapi.yaml');

export type ChatRequestValidator = { readonly validate: (body: unknown) => string[]; readonly message: string } | { readonly validate: undefined; readonly message: string };

let cached: ChatRequestValidator | undefined;

/** A validator for the spec's chat request schema, or why there is none. */
export function loadChatRequestValidator(): ChatRequestValidator {
  if (cached) return cached;
  if (!existsSync(SPEC_PATH)) {
    cached = { validate: undefined, message: `openrouter-openapi.yaml not found at ${SPEC_PATH}; skipping validation against OpenRouter's spec` };
    return cached;
  }
  const spec = parse(readFileSync(SPEC_PATH, 'utf8')) as { components?: { schemas?: Record<string, unknown> }; paths?: Record<string, Record<string, unknown>> };
  const schemas = spec.components?.schemas ?? {};
  const name = chatSchemaName(spec);
  if (!name || !schemas[name]) {
    cached = { validate: undefined, message: `no chat request schema found in ${SPEC_PATH}` };
    return cached;
  }
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  // OpenAPI 3.1 keywords ajv does not know are ignored in non-strict mode.
  ajv.addSchema({ $id: 'openrouter', components: { schemas } } as AnySchema);
  const validate = ajv.compile({ $ref: `openrouter#/components/schemas/${name}` });
  cached = {
    message: `validated against ${name} in ${SPEC_PATH}`,
    validate: (body) => (validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)),
  };
  return cached;
}

/** The schema referenced by `POST /chat/completions`' JSON request body. */
function chatSchemaName(spec: { paths?: Record<string, Record<string, unknown>> }): string | undefined {
  const post = spec.paths?.['/chat/completions']?.post as { requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } } | undefined;
  const ref = post?.requestBody?.content?.['application/json']?.schema?.$ref;
  return ref?.split('/').pop();
}
