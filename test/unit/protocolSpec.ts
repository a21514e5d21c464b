/**
 * The webview → host protocol as data, for fuzzing: {@link readSpec} reads every message type,
 * field and bound out of the zod schema (so a new message type or field is fuzzed without anyone
 * listing it); {@link accepts} decides validity from such a spec with code of its own (not zod);
 * {@link messageArbitrary} makes message-like values around every bound of a spec.
 */
import fc from 'fast-check';

/** One field's type and limits. Lengths in UTF-16 code units; `min`/`max` inclusive. */
export type FieldSpec =
  | { readonly kind: 'string'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'int'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'number'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'array'; readonly min?: number; readonly max?: number; readonly item: FieldSpec }
  | { readonly kind: 'unknown'; readonly zodType: string };

export type Field = FieldSpec & { readonly optional?: true };
/** Message type → its fields (besides `type`). */
export type ProtocolSpec = Readonly<Record<string, Readonly<Record<string, Field>>>>;

interface ZodDef {
  readonly type: string;
  readonly checks?: readonly { readonly _zod: { readonly def: CheckDef } }[];
  readonly options?: readonly { readonly _zod: { readonly def: ZodDef } }[];
  readonly shape?: Readonly<Record<string, { readonly _zod: { readonly def: ZodDef } }>>;
  readonly innerType?: { readonly _zod: { readonly def: ZodDef } };
  readonly element?: { readonly _zod: { readonly def: ZodDef } };
  readonly entries?: Readonly<Record<string, string>>;
  readonly values?: readonly unknown[];
}
interface CheckDef {
  readonly check: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly value?: number;
  readonly inclusive?: boolean;
  readonly format?: string;
}

const defOf = (schema: unknown): ZodDef => (schema as { _zod: { def: ZodDef } })._zod.def;

function bounds(def: ZodDef): { min?: number; max?: number; int: boolean } {
  const out: { min?: number; max?: number; int: boolean } = { int: false };
  for (const check of def.checks ?? []) {
    const c = check._zod.def;
    if (c.check === 'min_length') out.min = c.minimum!;
    else if (c.check === 'max_length') out.max = c.maximum!;
    else if (c.check === 'greater_than') out.min = c.inclusive ? c.value! : c.value! + 1;
    else if (c.check === 'less_than') out.max = c.inclusive ? c.value! : c.value! - 1;
    else if (c.check === 'number_format' && /int/.test(c.format ?? '')) out.int = true;
  }
  return out;
}

function fieldSpec(def: ZodDef): Field {
  if (def.type === 'optional') return { ...fieldSpec(defOf(def.innerType)), optional: true };
  const { min, max, int } = bounds(def);
  const limits = { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
  switch (def.type) {
    case 'string':
      return { kind: 'string', ...limits };
    case 'number':
      return { kind: int ? 'int' : 'number', ...limits };
    case 'enum':
      return { kind: 'enum', values: Object.values(def.entries ?? {}) };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array':
      return { kind: 'array', ...limits, item: fieldSpec(defOf(def.element)) };
    default:
      return { kind: 'unknown', zodType: def.type };
  }
}

/** Every message type of a discriminated union on `type`, with its fields and their bounds. */
export function readSpec(schema: unknown): ProtocolSpec {
  const spec: Record<string, Record<string, Field>> = {};
  for (const option of defOf(schema).options ?? []) {
    const shape = option._zod.def.shape ?? {};
    const literal = defOf(shape.type).values?.[0];
    if (typeof literal !== 'string') throw new Error('a message without a literal `type`');
    spec[literal] = Object.fromEntries(
      Object.entries(shape)
        .filter(([name]) => name !== 'type')
        .map(([name, s]) => [name, fieldSpec(defOf(s))]),
    );
  }
  return spec;
}

const within = (n: number, f: { min?: number; max?: number }): boolean =>
  (f.min === undefined || n >= f.min) && (f.max === undefined || n <= f.max);

function valueAccepted(value: unknown, field: FieldSpec): boolean {
  switch (field.kind) {
    case 'string':
      return typeof value === 'string' && within(value.length, field);
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value) && within(value, field);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && within(value, field);
    case 'enum':
      return typeof value === 'string' && field.values.includes(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return (
        Array.isArray(value) &&
        within(value.length, field) &&
        Array.from(value).every((item) => valueAccepted(item, field.item))
      );
    case 'unknown':
      return false;
  }
}

/** Whether a raw value is a valid message under `spec` (decided without zod). */
export function accepts(spec: ProtocolSpec, raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const m = raw as Record<string, unknown>;
  if (typeof m.type !== 'string' || !Object.hasOwn(spec, m.type)) return false;
  return Object.entries(spec[m.type]!).every(([name, field]) =>
    m[name] === undefined ? field.optional === true : valueAccepted(m[name], field),
  );
}

const hostile = fc.oneof(
  fc.anything(),
  fc.string(),
  fc.constantFrom(
    '',
    '__proto__',
    'constructor',
    'switchyard.clearApiKey',
    'workbench.action.terminal.sendSequence',
    'vscode.open',
    '<script>alert(1)</script>',
    '\u0000',
  ),
  fc.constantFrom(null, undefined, NaN, Infinity, -1, 0, 0.5, true, [], {}),
);

/** The numbers around every bound of the specs' versions of one field (each spec may bound it differently). */
function edges(fields: readonly FieldSpec[]): number[] {
  const out = new Set<number>([0, 1]);
  for (const f of fields)
    for (const b of 'min' in f || 'max' in f ? [(f as { min?: number }).min, (f as { max?: number }).max] : [])
      if (b !== undefined) [b - 1, b, b + 1].forEach((n) => out.add(n));
  return [...out].filter((n) => n >= 0);
}

const stringsOf = new Map<number, string>();
const repeated = (n: number): string => stringsOf.get(n) ?? (stringsOf.set(n, 'x'.repeat(n)), stringsOf.get(n)!);

/** Values for one field: on and just past every bound of each spec's version of it, valid-looking ones, and junk. */
function fieldArbitrary(fields: readonly FieldSpec[]): fc.Arbitrary<unknown> {
  const kinds = new Set(fields.map((f) => f.kind));
  const parts: fc.Arbitrary<unknown>[] = [hostile];
  const around = edges(fields);
  if (kinds.has('string')) parts.push(fc.constantFrom(...around).map(repeated), fc.string({ maxLength: 40 }));
  if (kinds.has('int') || kinds.has('number'))
    parts.push(fc.constantFrom(...around, ...around.map((n) => -n), 2 ** 53, 1.5), fc.integer());
  if (kinds.has('boolean')) parts.push(fc.boolean(), fc.constantFrom('true', 0, 1));
  for (const f of fields) {
    if (f.kind === 'enum')
      parts.push(
        fc.constantFrom(...f.values),
        fc.constantFrom(...f.values).map((v) => `${v} `),
        fc.constantFrom(...f.values).map((v) => v.toUpperCase()),
      );
  }
  const items = fields.flatMap((f) => (f.kind === 'array' ? [f.item] : []));
  if (items.length) {
    const item = fieldArbitrary(items);
    const valid = items.find((i) => i.kind === 'string') ? 'item' : 0;
    parts.push(
      fc.array(item, { maxLength: 5 }),
      fc.constantFrom(...around.filter((n) => n < 5000)).map((n) => Array.from({ length: n }, () => valid)),
    );
  }
  return fc.oneof(...parts);
}

/**
 * Message-like objects: for every type either spec knows, each field either spec gives it, drawn
 * around the bounds of both (so a bound missing from one side is reached), plus unknown types
 * and junk.
 */
export function messageArbitrary(...specs: readonly ProtocolSpec[]): fc.Arbitrary<unknown> {
  const types = [...new Set(specs.flatMap((s) => Object.keys(s)))];
  const perType = types.map((type) => {
    const names = [...new Set(specs.flatMap((s) => Object.keys(s[type] ?? {})))];
    const fields = Object.fromEntries(
      names.map((name) => [name, fieldArbitrary(specs.flatMap((s) => (s[type]?.[name] ? [s[type]![name]!] : [])))]),
    );
    return fc.record({ type: fc.constant(type), ...fields }, { requiredKeys: ['type'] });
  });
  return fc.oneof(...perType, fc.record({ type: hostile, text: hostile, id: hostile }, { requiredKeys: [] }), hostile);
}

/** A valid value for one field (small, for driving a session). */
export function validValue(field: FieldSpec): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'string':
      return fc.string({ minLength: field.min ?? 0, maxLength: Math.min(field.max ?? 60, 60) });
    case 'int':
      return fc.integer({ min: field.min ?? 0, max: field.max ?? 1000 });
    case 'number':
      return fc.double({ min: field.min ?? 0, max: field.max ?? 1000, noNaN: true });
    case 'enum':
      return fc.constantFrom(...field.values);
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validValue(field.item), { minLength: field.min ?? 0, maxLength: Math.min(field.max ?? 3, 3) });
    case 'unknown':
      return fc.constant(undefined);
  }
}
