/**
 * Checks an MCP tool call's arguments against the tool's JSON Schema (ajv) before it is sent: an
 * invalid call is an error result the model reads, and the server never sees it. A schema ajv
 * cannot compile is not enforced (the server still checks); compiled validators are cached per
 * schema. Pure.
 */
import Ajv, { type ValidateFunction } from 'ajv';

const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
const cache = new WeakMap<object, ValidateFunction | null>();

/** Parses the streamed arguments and checks them: the arguments object, or a sentence for the model. */
export function checkArguments(
  fn: string,
  argumentsJson: string,
  schema: Readonly<Record<string, unknown>>,
): { ok: true; args: Record<string, unknown> } | { ok: false; error: string } {
  let raw: unknown;
  try {
    raw = argumentsJson.trim() === '' ? {} : JSON.parse(argumentsJson);
  } catch (error) {
    return { ok: false, error: `arguments were not valid JSON: ${(error as Error).message}` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, error: `arguments of ${fn} should be a JSON object` };
  const validate = validatorFor(schema);
  if (validate && !validate(raw)) {
    const e = validate.errors?.[0];
    const where = e?.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'arguments';
    return { ok: false, error: `arguments of ${fn} are invalid: ${where} ${e?.message ?? 'do not match the schema'}` };
  }
  return { ok: true, args: raw as Record<string, unknown> };
}

function validatorFor(schema: Readonly<Record<string, unknown>>): ValidateFunction | null {
  const known = cache.get(schema);
  if (known !== undefined) return known;
  let compiled: ValidateFunction | null;
  try {
    const { $schema: _ignored, ...rest } = schema;
    compiled = ajv.compile({ type: 'object', ...rest });
  } catch {
    compiled = null;
  }
  cache.set(schema, compiled);
  return compiled;
}
