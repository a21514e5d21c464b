/**
 * `switchyard.completions.*` under the one trust table (src/config/trust.ts): the user's own
 * (global) value counts, and a workspace can only make it stricter — turn completions or a
 * language off, lower `maxLines` or `dailyBudget`, raise `debounceMs` — never turn them on, pick
 * the model, or spend more. Malformed user values fall back to the default and are reported;
 * malformed workspace values are ignored.
 */
import { mergeSetting } from '../config/trust';
import { COMPLETION_DEFAULTS, type CompletionSettings } from './defaults';

const SECTION = 'switchyard.completions';

/** A setting's values by scope, as `WorkspaceConfiguration.inspect` gives them. */
export type Inspected =
  | { readonly globalValue?: unknown; readonly workspaceValue?: unknown; readonly workspaceFolderValue?: unknown }
  | undefined;

function valid<T>(value: unknown, check: (v: unknown) => v is T): T | undefined {
  return value !== undefined && check(value) ? value : undefined;
}

const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isNumberIn =
  (min: number, max: number) =>
  (v: unknown): v is number =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
const isString = (v: unknown): v is string => typeof v === 'string' && v.length <= 200;
const isLanguageMap = (v: unknown): v is Record<string, boolean> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(isBool);

/** Resolves the settings from each one's scoped values; `problems` lists malformed user values. */
export function resolveCompletionSettings(inspect: (name: keyof CompletionSettings) => Inspected): {
  settings: CompletionSettings;
  problems: string[];
} {
  const problems: string[] = [];
  const read = <T>(name: keyof CompletionSettings, check: (v: unknown) => v is T, expected: string): T => {
    const inspected = inspect(name);
    const fallback = COMPLETION_DEFAULTS[name] as T;
    const raw = inspected?.globalValue;
    const user = valid(raw, check);
    if (raw !== undefined && user === undefined)
      problems.push(
        `${SECTION}.${name} should be ${expected}, not ${JSON.stringify(raw)?.slice(0, 60)}; using the default ${JSON.stringify(fallback)}.`,
      );
    // Each workspace scope (the folder's, the workspace's) may only tighten what the user chose.
    const scopes = [inspected?.workspaceValue, inspected?.workspaceFolderValue]
      .map((v) => valid(v, check))
      .filter((v): v is T => v !== undefined);
    return scopes.reduce<T>(
      (value, workspace) => mergeSetting(`completions.${name}`, { user: value, workspace }).value as T,
      user ?? fallback,
    );
  };
  return {
    settings: {
      enabled: read('enabled', isBool, 'true or false'),
      languages: read('languages', isLanguageMap, 'an object of language ids to true or false'),
      model: read('model', isString, 'a model id or ""').trim(),
      debounceMs: read('debounceMs', isNumberIn(0, 5000), 'a number of milliseconds from 0 to 5000'),
      maxLines: Math.floor(read('maxLines', isNumberIn(1, 100), 'a number of lines from 1 to 100')),
      dailyBudget: read('dailyBudget', isNumberIn(0, 1000), 'a number of US dollars from 0 to 1000'),
    },
    problems,
  };
}

/** Whether completions are on for a language. */
export function languageOn(settings: CompletionSettings, languageId: string): boolean {
  return settings.languages[languageId] !== false;
}

/**
 * `switchyard.completions.exclude`: globs of files whose text completions never send. Every scope
 * adds (a workspace can only exclude more); entries that are not non-empty strings are dropped.
 */
export function resolveCompletionExclude(inspected: Inspected): string[] {
  const globs = [inspected?.globalValue, inspected?.workspaceValue, inspected?.workspaceFolderValue].flatMap((v) =>
    Array.isArray(v) ? v : [],
  );
  return [
    ...new Set(
      globs
        .filter((g): g is string => typeof g === 'string' && g.trim() !== '' && g.length <= 500)
        .map((g) => g.trim()),
    ),
  ].slice(0, 200);
}
