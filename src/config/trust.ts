/**
 * What a workspace (a cloned repository's `.vscode/settings.json`, a `.code-workspace` file) may
 * change in settings that spend money or decide where data goes: it may only make them stricter.
 * A looser workspace value is ignored — the user's value (or the default) stays — and the setting is
 * named in {@link TrustMerge.ignored} so the host can say so once.
 *
 * Pure: the VS Code side passes `inspect()`'s layers (src/vscode/settings/trustedSettings.ts). Source of the
 * rule: issue 15, "A workspace cannot raise spend or weaken privacy".
 */
import { inertText } from '../openrouter/untrustedText';

/** One setting's layers, as `WorkspaceConfiguration.inspect()` reports them. */
export interface Layers {
  readonly defaultValue?: unknown;
  /** User (global) value. */
  readonly user?: unknown;
  /** Workspace-folder value, else workspace value; `undefined` when the workspace sets nothing (or is untrusted). */
  readonly workspace?: unknown;
}

export interface TrustMerge {
  /** The value to use (`undefined`: not set anywhere; the reader applies its default). */
  readonly value: unknown;
  /** Settings (dotted, `switchyard.` prefixed) whose workspace value was looser and is ignored. */
  readonly ignored: readonly string[];
  /** The workspace's value would have made the setting invalid, and is ignored ({@link mergeChecked}). */
  readonly invalid?: boolean;
}

/** A setting whose workspace value is ignored because the setting's schema refuses it, and what it expects. */
export interface InvalidSetting {
  /** Dotted, `switchyard.` prefixed. */
  readonly name: string;
  readonly expected: string;
}

/**
 * How a workspace value may combine with the user's, per setting (names after `switchyard.`):
 * - `userOnly`: only a value equal to the user's is accepted (which model, routes, tiers, keys);
 * - `lower`: a smaller number; `onlyFalse` / `onlyTrue`: only that boolean;
 * - `subset`: a list made only of entries the user's list has (fewer fallbacks, fewer auto-approvals);
 * - `union`: the workspace adds to the user's list (more exclusions);
 * - `manualOnly`, `onBudget`, `budgets`, `provider`, `fallback`: see {@link mergeSetting}.
 */
export type TrustRule =
  | 'userOnly'
  | 'lower'
  | 'higher'
  | 'onlyFalse'
  | 'onlyTrue'
  | 'subset'
  | 'union'
  | 'switchOff'
  | 'manualOnly'
  | 'onBudget'
  | 'budgets'
  | 'provider'
  | 'fallback';

/** The settings a workspace may only tighten. Issues 12/14 add agent/completions keys here. */
export const TRUST_RULES: Readonly<Record<string, TrustRule>> = {
  model: 'userOnly',
  fallbackModels: 'subset',
  maxOutputTokens: 'lower',
  attachEditorContext: 'onlyFalse',
  'webSearch.default': 'onlyFalse',
  'chat.instructions': 'onlyFalse',
  'keys.strategy': 'userOnly',
  'context.exclude': 'union',
  'routing.mode': 'manualOnly',
  'routing.preferredModel': 'userOnly',
  'routing.preferredProvider': 'userOnly',
  'routing.tiers': 'userOnly',
  'routing.freeFirst': 'onlyTrue',
  'routing.fallback': 'fallback',
  'routing.capacity': 'userOnly',
  'routing.budgets': 'budgets',
  'routing.onBudget': 'onBudget',
  'routing.routes': 'userOnly',
  provider: 'provider',
  // Agent mode (issue 12): a workspace cannot approve on the user's behalf.
  'agent.autoApprove': 'userOnly',
  'agent.allowedCommands': 'subset',
  'agent.deniedCommands': 'union',
  'agent.maxSteps': 'lower',
  // Routed steps (issue 23): which model each tier uses is the user's; a workspace may only lower the task budget and subagent steps.
  'agent.models': 'userOnly',
  'agent.taskBudgetUsd': 'lower',
  'agent.subagent.maxSteps': 'lower',
  // Compaction (issue 23) sends the task to another model: only the user decides when.
  'agent.compaction.threshold': 'userOnly',
  // The sandbox (issue 20): only the user may open the network or accept running unsandboxed.
  'agent.sandbox.network': 'userOnly',
  'agent.sandbox.acceptUnsandboxed': 'userOnly',
  // Inline completions (issue 14): a workspace may turn them (or a language) off and spend less, never more.
  'completions.enabled': 'onlyFalse',
  'completions.languages': 'switchOff',
  'completions.model': 'userOnly',
  'completions.debounceMs': 'higher',
  'completions.maxLines': 'lower',
  'completions.dailyBudget': 'lower',
};

/** `onBudget` from loosest to strictest: `warn` lets everything through; `block` nothing over budget. */
const ON_BUDGET_ORDER = ['warn', 'downgrade', 'downgradeToFree', 'ask', 'block'];

const BUDGET_FIELDS = ['perRequestUsd', 'perDayUsd', 'perMonthUsd'] as const;

/** Merges one setting's layers by its rule (settings without a rule: the usual precedence). */
export function mergeSetting(name: string, layers: Layers): TrustMerge {
  const rule = TRUST_RULES[name];
  const user = layers.user !== undefined ? layers.user : layers.defaultValue;
  const ws = layers.workspace;
  if (!rule) return { value: ws !== undefined ? ws : user, ignored: [] };
  if (ws === undefined || deepEqual(ws, user)) return { value: user, ignored: [] };
  const full = `switchyard.${name}`;
  const keep = (): TrustMerge => ({ value: user, ignored: [full] });
  const take = (): TrustMerge => ({ value: ws, ignored: [] });
  switch (rule) {
    case 'userOnly':
      return keep();
    case 'lower':
      return isNumber(ws) && (!isNumber(user) || ws < user) ? take() : keep();
    case 'higher':
      return isNumber(ws) && (!isNumber(user) || ws > user) ? take() : keep();
    case 'switchOff':
      return mergeSwitches(full, user, ws);
    case 'onlyFalse':
      return ws === false ? take() : keep();
    case 'onlyTrue':
      return ws === true ? take() : keep();
    case 'manualOnly':
      return ws === 'manual' ? take() : keep();
    case 'subset': {
      if (!isStringList(ws)) return keep();
      const allowed = new Set(isStringList(user) ? user : []);
      return ws.every((m) => allowed.has(m)) ? take() : keep();
    }
    case 'union': {
      if (!isStringList(ws)) return keep();
      return { value: [...new Set([...(isStringList(user) ? user : []), ...ws])], ignored: [] };
    }
    case 'onBudget': {
      const wsRank = typeof ws === 'string' ? ON_BUDGET_ORDER.indexOf(ws) : -1;
      const userRank = typeof user === 'string' ? ON_BUDGET_ORDER.indexOf(user) : ON_BUDGET_ORDER.indexOf('block');
      return wsRank >= 0 && wsRank >= userRank ? take() : keep();
    }
    case 'budgets':
      return mergeBudgets(full, user, ws);
    case 'fallback':
      return mergeFlags(full, user, ws, { onlyCheaper: true, askBeforeUpgrade: true });
    case 'provider':
      return mergeProvider(full, user, ws);
  }
}

/**
 * {@link mergeSetting}, checked: when the workspace's value would make the setting invalid (`valid`
 * is its schema — a task budget of 0, `maxSteps: 0`, an empty glob added to `context.exclude`, a
 * 51st provider slug), the workspace value is ignored like a looser one and the user's value
 * stays. Otherwise the reader would replace the invalid value by the default, which is looser
 * than the user's (no task budget, the user's exclusions, denied commands or privacy gone).
 */
export function mergeChecked(name: string, layers: Layers, valid: (value: unknown) => boolean): TrustMerge {
  const merged = mergeSetting(name, layers);
  if (layers.workspace === undefined || merged.value === undefined || valid(merged.value)) return merged;
  const user = layers.user !== undefined ? layers.user : layers.defaultValue;
  // The user's own value refused: the reader reports it; the workspace took no part.
  if (deepEqual(merged.value, user)) return merged;
  return { value: user, ignored: [], invalid: true };
}

/**
 * Merges several settings, each {@link mergeChecked} by its check when `checks` has one; `ignored`
 * lists every looser workspace value once, in order, and `invalid` every one the setting refuses.
 */
export function mergeSettings(
  layers: Readonly<Record<string, Layers>>,
  checks: Readonly<Record<string, { valid(value: unknown): boolean; readonly expected: string }>> = {},
): { values: Record<string, unknown>; ignored: string[]; invalid: InvalidSetting[] } {
  const values: Record<string, unknown> = {};
  const ignored: string[] = [];
  const invalid: InvalidSetting[] = [];
  for (const [name, l] of Object.entries(layers)) {
    const check = checks[name];
    const merged = check ? mergeChecked(name, l, (v) => check.valid(v)) : mergeSetting(name, l);
    values[name] = merged.value;
    for (const i of merged.ignored) if (!ignored.includes(i)) ignored.push(i);
    if (merged.invalid && check) invalid.push({ name: `switchyard.${name}`, expected: check.expected });
  }
  return { values, ignored, invalid };
}

/** Each budget: the lower of the two; a workspace may add a budget the user has not set. */
function mergeBudgets(full: string, user: unknown, ws: unknown): TrustMerge {
  if (!isRecord(ws)) return { value: user, ignored: [full] };
  const base: Record<string, unknown> = isRecord(user) ? { ...user } : {};
  const ignored: string[] = [];
  for (const [field, value] of Object.entries(ws)) {
    const mine = base[field];
    if (!(BUDGET_FIELDS as readonly string[]).includes(field) || !isNumber(value) || value < 0)
      ignored.push(`${full}.${field}`);
    else if (!isNumber(mine) || value < mine) base[field] = value;
    else if (value > mine) ignored.push(`${full}.${field}`);
  }
  return { value: base, ignored };
}

/** A map of switches (`{"markdown": false}`): a workspace only turns entries off. */
function mergeSwitches(full: string, user: unknown, ws: unknown): TrustMerge {
  if (!isRecord(ws)) return { value: user, ignored: [full] };
  const base: Record<string, unknown> = isRecord(user) ? { ...user } : {};
  const ignored: string[] = [];
  for (const [key, on] of Object.entries(ws)) {
    if (on === false) base[key] = false;
    else if (base[key] !== true) ignored.push(`${full}.${key}`);
  }
  return { value: base, ignored };
}

/** Boolean flags of an object where `true` is the strict side. */
function mergeFlags(full: string, user: unknown, ws: unknown, strict: Readonly<Record<string, boolean>>): TrustMerge {
  if (!isRecord(ws)) return { value: user, ignored: [full] };
  const base: Record<string, unknown> = isRecord(user) ? { ...user } : {};
  const ignored: string[] = [];
  for (const [field, value] of Object.entries(ws)) {
    if (!(field in strict)) ignored.push(`${full}.${field}`);
    else if (value === strict[field]) base[field] = value;
    else if (base[field] !== value) ignored.push(`${full}.${field}`);
  }
  return { value: base, ignored };
}

/**
 * OpenRouter's `provider` object: privacy and provider filters may only narrow (`data_collection:
 * deny`, `zdr: true`, `allow_fallbacks: false`, `require_parameters: true`, more `ignore`, a
 * narrower `only`/`quantizations`, a lower `max_price`); what steers to other (possibly pricier)
 * endpoints — `order`, `sort`, `variant`, throughput/latency preferences — stays the user's. Unknown
 * fields from the workspace are dropped (they would make the whole object invalid, and so drop the
 * user's own privacy settings).
 */
function mergeProvider(full: string, user: unknown, ws: unknown): TrustMerge {
  if (!isRecord(ws)) return { value: user, ignored: [full] };
  const base: Record<string, unknown> = isRecord(user) ? { ...user } : {};
  const ignored: string[] = [];
  const reject = (field: string): void => {
    ignored.push(`${full}.${field}`);
  };
  for (const [field, value] of Object.entries(ws)) {
    const mine = base[field];
    if (deepEqual(value, mine)) continue;
    switch (field) {
      case 'data_collection':
        if (value === 'deny') base[field] = value;
        else if (!(value === 'allow' && mine === undefined)) reject(field);
        break;
      case 'zdr':
      case 'require_parameters':
        if (value === true) base[field] = value;
        else if (!(value === false && mine === undefined)) reject(field);
        break;
      case 'allow_fallbacks':
        if (value === false) base[field] = value;
        else if (!(value === true && mine === undefined)) reject(field);
        break;
      case 'ignore':
        if (isStringList(value)) base[field] = [...new Set([...(isStringList(mine) ? mine : []), ...value])];
        else reject(field);
        break;
      case 'only':
      case 'quantizations': {
        const narrowed = narrowedList(value, mine);
        if (narrowed) base[field] = narrowed;
        else reject(field);
        break;
      }
      case 'max_price':
        if (isRecord(value)) base[field] = lowerPrices(value, mine, (kind) => reject(`${field}.${kind}`));
        else reject(field);
        break;
      default:
        reject(field);
    }
  }
  return { value: base, ignored };
}

/** A workspace `only`/`quantizations` list that narrows the user's (or sets one where the user has none); undefined otherwise. */
function narrowedList(value: unknown, mine: unknown): string[] | undefined {
  if (!isStringList(value) || value.length === 0) return undefined;
  if (!isStringList(mine)) return value;
  const narrowed = value.filter((v) => mine.includes(v));
  return narrowed.length === value.length && narrowed.length > 0 ? narrowed : undefined;
}

/** The user's `max_price` with each workspace price that is lower (or new) taken; a higher or unknown one is rejected. */
function lowerPrices(
  value: Record<string, unknown>,
  mine: unknown,
  reject: (kind: string) => void,
): Record<string, unknown> {
  const prices: Record<string, unknown> = isRecord(mine) ? { ...mine } : {};
  for (const [kind, price] of Object.entries(value)) {
    const current = prices[kind];
    if (!['prompt', 'completion', 'request', 'image'].includes(kind) || !isNumber(price) || price < 0) reject(kind);
    else if (!isNumber(current) || price < current) prices[kind] = price;
    else if (price > current) reject(kind);
  }
  return prices;
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isStringList(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** At most ten entries, then how many more. */
const capped = (items: readonly string[]): string[] =>
  items.length > 10 ? [...items.slice(0, 10), `and ${items.length - 10} more`] : [...items];

/**
 * The one notice for ignored workspace values: the looser ones, and those the setting refuses with
 * what it expects. Names and our own words only: never the values themselves.
 */
export function ignoredNotice(ignored: readonly string[], invalid: readonly InvalidSetting[] = []): string | undefined {
  const sentences: string[] = [];
  // Field names under an object setting come from the workspace: single line, capped.
  if (ignored.length)
    sentences.push(
      `This workspace's settings may only make spending and privacy limits stricter; its looser values are ignored and your own are used: ${capped(ignored.map((name) => inertText(name, 80))).join(', ')}.`,
    );
  if (invalid.length)
    sentences.push(
      `This workspace's values that the setting does not accept are ignored and your own are used: ${capped(invalid.map((i) => `${inertText(i.name, 80)} (should be ${i.expected})`)).join(', ')}.`,
    );
  return sentences.length ? sentences.join(' ') : undefined;
}
