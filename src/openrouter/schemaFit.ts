/**
 * A tool schema — an MCP server's, or one VS Code hands over from another extension — made
 * acceptable to every provider. Such schemas are JSON Schema that OpenAI and Anthropic take as
 * they are but Google rejects with a 400 for the **whole request**, so one sloppy tool would stop
 * every request on a Gemini model:
 *
 * - `required` naming a property the same node does not define (`required[0]: property is not
 *   defined`): the unknown names are dropped (the keyword too when none is left);
 * - `properties` / `required` on a node whose `type` is not `object` ("only allowed for OBJECT
 *   type"): dropped;
 * - `$schema` ("Unknown name \"$schema\""): dropped.
 *
 * A `description`, `title` or `$comment` (text only the model reads, at any depth) has what its
 * reader could not see — tag characters, bidi overrides, zero-width characters — written out
 * (`⟨U+202E RLO⟩`), as a tool's own description has.
 *
 * Calls are checked against the same fitted schema the model is shown ({@link toolSchema}); the
 * server still checks its own.
 * Nodes nested deeper than {@link MAX_DEPTH} become `{}` (a hostile schema cannot exhaust the
 * stack). Pure.
 */
import { shownToModel } from '../protocol/invisibleText';

/** How deep a schema is walked. */
export const MAX_DEPTH = 32;

type Schema = Readonly<Record<string, unknown>>;

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keywords whose value is one schema. */
const ONE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'];
/** Keywords whose value is a list of schemas. */
const LIST = ['anyOf', 'oneOf', 'allOf', 'prefixItems', 'items'];
/** Keywords whose value maps names to schemas. */
const MAP = ['properties', '$defs', 'definitions', 'patternProperties'];
/** Keywords whose text only the model reads: what a reader could not see in them is written out. */
const PROSE = ['description', 'title', '$comment'];

/** `schema` as every provider accepts it (see the module comment). */
export function providerSafeSchema(schema: Schema, depth = 0): Schema {
  if (depth >= MAX_DEPTH) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$schema') continue;
    if (PROSE.includes(key) && typeof value === 'string') out[key] = shownToModel(value);
    else if (MAP.includes(key) && isSchema(value)) out[key] = mapSchemas(value, depth + 1);
    else if (LIST.includes(key) && Array.isArray(value))
      out[key] = value.map((v) => (isSchema(v) ? providerSafeSchema(v, depth + 1) : v));
    else if (ONE.includes(key) && isSchema(value)) out[key] = providerSafeSchema(value, depth + 1);
    else out[key] = value;
  }
  const types: unknown[] = Array.isArray(out.type) ? out.type : [out.type];
  if (out.type !== undefined && !types.includes('object')) {
    delete out.properties;
    delete out.required;
  }
  return fitRequired(out);
}

function mapSchemas(map: Schema, depth: number): Schema {
  return Object.fromEntries(
    Object.entries(map).map(([name, v]) => [name, isSchema(v) ? providerSafeSchema(v, depth) : v]),
  );
}

/** `required` holding only the names `properties` defines; left out when none is left. */
function fitRequired(node: Record<string, unknown>): Schema {
  if (!('required' in node)) return node;
  const { required, ...rest } = node;
  const defined = isSchema(node.properties) ? node.properties : {};
  const kept = Array.isArray(required)
    ? required.filter((name): name is string => typeof name === 'string' && Object.hasOwn(defined, name))
    : [];
  return kept.length ? { ...rest, required: [...new Set(kept)] } : rest;
}

const fitted = new WeakMap<Schema, Schema>();

/**
 * A tool's parameters as the model is shown them and as its calls are checked (one object per
 * server schema, so the compiled validator is reused): an object schema, fitted.
 */
export function toolSchema(inputSchema: Schema): Schema {
  const known = fitted.get(inputSchema);
  if (known) return known;
  const schema = providerSafeSchema({ type: 'object', ...inputSchema });
  fitted.set(inputSchema, schema);
  return schema;
}

/** How many fitted schemas {@link fittedByText} keeps (a long VS Code Chat session offers the same few hundred tools every request). */
export const FITTED_CACHE_SIZE = 512;
const byText = new Map<string, Schema>();

/**
 * {@link providerSafeSchema} of `schema`, fitted once per distinct schema: VS Code's Chat hands
 * the language model provider every tool's schema again with each request (a fresh object each
 * time), so the fitted one is kept by the schema's JSON text. A changed schema has another text and
 * is fitted again; the least recently used of more than {@link FITTED_CACHE_SIZE} are let go.
 */
export function fittedByText(schema: Schema): Schema {
  const key = JSON.stringify(schema);
  const known = byText.get(key);
  if (known) {
    byText.delete(key);
    byText.set(key, known);
    return known;
  }
  const fit = providerSafeSchema(schema);
  byText.set(key, fit);
  if (byText.size > FITTED_CACHE_SIZE) byText.delete(byText.keys().next().value!);
  return fit;
}
