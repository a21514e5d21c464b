/**
 * A tool call's `arguments` (a JSON string as streamed) checked against the tool's zod schema,
 * with a miss put as one sentence the model can act on: which argument, and what it should be
 * ("arguments of read_file are invalid: start_line should be an integer, at least 1"). Key names
 * come from the model: quoted and clipped. Pure.
 */
import type * as z from 'zod/mini';
import { singleLine } from '../../openrouter/untrustedText';

type Issue = z.core.$ZodIssue;

export type ParsedArguments<T> = { ok: true; args: T } | { ok: false; error: string };

/** Parses and checks `argumentsJson` (empty text is `{}`: a call without arguments). */
export function parseArguments<S extends z.ZodMiniType>(
  tool: string,
  schema: S,
  argumentsJson: string,
): ParsedArguments<z.infer<S>> {
  let raw: unknown;
  try {
    raw = argumentsJson.trim() === '' ? {} : JSON.parse(argumentsJson);
  } catch (error) {
    return { ok: false, error: `arguments of ${tool} were not valid JSON: ${(error as Error).message}` };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, args: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, error: `arguments of ${tool} are invalid: ${issue ? issueText(issue, raw) : 'they do not fit'}` };
}

/** A key name from the model: one line, invisible characters gone, clipped, then quoted. */
const quoted = (key: PropertyKey): string => JSON.stringify(singleLine(String(key), 60));

/** `edits.0.old_text`, or "the arguments" at the top. */
function where(path: readonly PropertyKey[]): string {
  return path.length
    ? path.map((k) => (typeof k === 'number' ? String(k) : singleLine(String(k), 60))).join('.')
    : 'the arguments';
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
};

function bound(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const least = issue.code === 'too_small';
  const n = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  if (issue.origin === 'string')
    return least && n === 1
      ? 'should not be empty'
      : `should be ${least ? 'at least' : 'at most'} ${n} characters long`;
  if (issue.origin === 'array')
    return least && n === 1
      ? 'should have at least one item'
      : `should have ${least ? 'at least' : 'at most'} ${n} item${n === 1 ? '' : 's'}`;
  return `should be ${least ? 'at least' : 'at most'} ${n}`;
}

/** One issue as words: "edits should have at least one item", "path is required". */
export function issueText(issue: Issue, raw: unknown): string {
  const at = where(issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.path.length && valueAt(raw, issue.path) === undefined) return `${at} is required`;
      return `${at} should be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'unrecognized_keys':
      return `${at} ${issue.keys.length === 1 ? 'has a key' : 'have keys'} the tool does not take: ${issue.keys.map(quoted).join(', ')}`;
    case 'invalid_value':
      return `${at} should be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
    case 'too_big':
      return `${at} ${bound(issue)}`;
    default:
      return `${at}: ${issue.message}`;
  }
}
