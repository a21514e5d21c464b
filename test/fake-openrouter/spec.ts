/**
 * Validation against OpenRouter's published OpenAPI spec, read from
 * `<project root>/../shared/openrouter-openapi.yaml` (OpenRouter's file: never copied into the
 * project). When the file is absent every loader returns `validate: undefined` and a message
 * saying so; tests then skip on a developer's clone ({@link specOrSkip}) but fail under `CI=true`.
 */
import Ajv, { type AnySchema, type ValidateFunction } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The project root (this file is `<root>/test/fake-openrouter/spec.ts`). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the spec is looked for. */
export const SPEC_PATH = resolve(PROJECT_ROOT, '../shared/openrouter-openapi.yaml');

/** A validator, or why there is none. `validate` returns readable errors (`[]` = valid). */
export type SpecValidator =
  | { readonly validate: (value: unknown) => string[]; readonly schema: string; readonly message: string }
  | { readonly validate: undefined; readonly schema: string; readonly message: string };

/** @deprecated alias kept for existing callers. */
export type ChatRequestValidator = SpecValidator;

interface OpenApiDoc {
  readonly paths?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly components?: { readonly schemas?: Readonly<Record<string, unknown>> };
}

interface Loaded {
  readonly ajv: Ajv;
  readonly doc: OpenApiDoc;
}

const loaded = new Map<string, Loaded | string>();
const compiled = new Map<string, SpecValidator>();

/** Reads and parses a spec file once; a string is why it could not. */
function load(specPath: string): Loaded | string {
  const cached = loaded.get(specPath);
  if (cached !== undefined) return cached;
  let result: Loaded | string;
  if (!existsSync(specPath)) result = `openrouter-openapi.yaml not found at ${specPath}; skipping spec validation`;
  else {
    const doc = parse(readFileSync(specPath, 'utf8')) as OpenApiDoc;
    // OpenAPI 3.1 keywords ajv does not know (example, x-…, discriminator…) are ignored in non-strict mode.
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ $id: 'openrouter', components: { schemas: doc.components?.schemas ?? {} } } as AnySchema);
    result = { ajv, doc };
  }
  loaded.set(specPath, result);
  return result;
}

/** The schema name that `POST /chat/completions`' JSON request body references (`ChatRequest` today). */
export function chatRequestSchemaName(doc: OpenApiDoc): string {
  const post = doc.paths?.['/chat/completions']?.post as
    { requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } } | undefined;
  return post?.requestBody?.content?.['application/json']?.schema?.$ref?.split('/').pop() ?? 'ChatRequest';
}

function describe(errors: ValidateFunction['errors']): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/**
 * A validator for `components.schemas.<name>` (e.g. `ChatResult`, `ChatStreamChunk`,
 * `ModelsListResponse`, `ListEndpointsResponse`), `$ref`s resolved.
 */
export function loadSpecValidator(name: string, specPath = SPEC_PATH): SpecValidator {
  const key = `${specPath}#${name}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const spec = load(specPath);
  let result: SpecValidator;
  if (typeof spec === 'string') result = { validate: undefined, schema: name, message: spec };
  else if (!spec.doc.components?.schemas?.[name])
    result = {
      validate: undefined,
      schema: name,
      message: `no schema ${name} in ${specPath}; skipping spec validation`,
    };
  else {
    const validate = spec.ajv.compile({ $ref: `openrouter#/components/schemas/${name}` });
    result = {
      validate: (value) => (validate(value) ? [] : describe(validate.errors)),
      schema: name,
      message: `validated against ${name} in ${specPath}`,
    };
  }
  compiled.set(key, result);
  return result;
}

/** A validator for chat request bodies (the spec's `ChatRequest`), or `validate: undefined` and why. */
export function loadChatRequestValidator(specPath = SPEC_PATH): SpecValidator {
  const spec = load(specPath);
  return loadSpecValidator(typeof spec === 'string' ? 'ChatRequest' : chatRequestSchemaName(spec.doc), specPath);
}

/**
 * The validation function, or — when the spec file is absent — a skipped test on a developer's
 * clone, and a failed one in CI (`CI=true`), where a missing spec must not pass silently.
 */
export function specOrSkip(
  t: { skip(message: string): void },
  validator: SpecValidator,
  env: NodeJS.ProcessEnv = process.env,
): ((value: unknown) => string[]) | undefined {
  if (validator.validate) return validator.validate;
  if (env.CI === 'true')
    throw new Error(
      `${validator.message.replace(/; skipping spec validation$/, '')}: the spec-contract tests need it in CI`,
    );
  console.log(validator.message);
  t.skip(validator.message);
  return undefined;
}
