/**
 * Typed access to `switchyard.*` settings. Each field is validated on its own: a malformed value
 * is reported once and replaced by its default, and the other settings keep working.
 */
import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { SETTING_DEFAULTS } from '../../config/defaults';
import { fieldExpected, fieldSchemas } from '../../config/settingSchemas';
import {
  parseRoutingSettings,
  routingValueValid,
  type ParsedRouting,
  type RawRoutingSettings,
} from '../../config/routingSettings';
import type { KeyStrategy } from '../../account/keyPool';
import type { EnvironmentKeyPolicy } from '../../account/keySource';
import { DEFAULT_BASE_URL, validateBaseUrl } from '../../openrouter/baseUrl';
import { quoted } from '../../openrouter/untrustedText';
import { trustedGet } from './trustedSettings';

export interface SwitchyardSettings {
  /** Validated base URL, or the reason it is unusable. */
  readonly baseUrl: { readonly ok: true; readonly url: string } | { readonly ok: false; readonly message: string };
  readonly model: string;
  readonly fallbackModels: readonly string[];
  readonly autoDiscover: boolean;
  readonly maxOutputTokens: number;
  readonly attachEditorContext: boolean;
  /** `switchyard.webSearch.default`: "Search the web" starts on for each message. */
  readonly webSearchDefault: boolean;
  readonly timeoutSeconds: number;
  /** `switchyard.context.exclude`: extra globs of files never attached automatically (asked before attaching by hand). */
  readonly contextExclude: readonly string[];
  /** `switchyard.keys.strategy`: how requests use the keys of the pool. */
  readonly keyStrategy: KeyStrategy;
  /** `switchyard.environmentKey`: whether `OPENROUTER_API_KEY` pays — after a yes per key ("ask"), always, or never. User settings only. */
  readonly environmentKey: EnvironmentKeyPolicy;
}

type FieldName = keyof typeof fieldSchemas;

/** A field's schema, what it expects in words, and its default (from SETTING_DEFAULTS). */
export interface FieldSpec {
  readonly schema: z.ZodMiniType;
  readonly expected: string;
}

/**
 * The one way a `switchyard.*` setting is read: through the trust rules (src/config/trust.ts: a
 * workspace may only tighten what spends money, approves on the user's behalf or decides where
 * data goes), validated on its own; a malformed value is reported and its default used.
 */
export function readSetting<T>(
  config: vscode.WorkspaceConfiguration,
  name: keyof typeof SETTING_DEFAULTS,
  spec: FieldSpec,
  problems: string[],
): T {
  const fallback = SETTING_DEFAULTS[name] as T;
  const raw = trustedGet(config, name, (v) => spec.schema.safeParse(v).success);
  if (raw === undefined) return fallback;
  const parsed = spec.schema.safeParse(raw);
  if (parsed.success) return parsed.data as T;
  // The raw value may come from a cloned repository: quoted, inert and capped, never markup.
  problems.push(
    `switchyard.${name} should be ${spec.expected}, not ${quoted(raw, 60)}; using the default ${JSON.stringify(fallback)}.`,
  );
  return fallback;
}

function readField<K extends FieldName>(
  config: vscode.WorkspaceConfiguration,
  name: K,
  problems: string[],
): z.infer<(typeof fieldSchemas)[K]> {
  return readSetting(config, name, { schema: fieldSchemas[name], expected: fieldExpected[name] }, problems);
}

/** Reads all settings; `problems` lists what was malformed. */
export function readSettings(): { settings: SwitchyardSettings; problems: string[] } {
  const config = vscode.workspace.getConfiguration('switchyard');
  const problems: string[] = [];
  // The key goes wherever baseUrl points: only the user's own settings count, never a workspace's
  // (the setting is application-scoped; this also guards against older VS Code versions).
  const inspected = config.inspect<unknown>('baseUrl');
  const baseUrl = validateBaseUrl(inspected?.globalValue ?? DEFAULT_BASE_URL);
  if (!baseUrl.ok) problems.push(baseUrl.message);
  const settings: SwitchyardSettings = {
    baseUrl,
    model: readField(config, 'model', problems),
    fallbackModels: readField(config, 'fallbackModels', problems),
    autoDiscover: readField(config, 'autoDiscover', problems),
    maxOutputTokens: readField(config, 'maxOutputTokens', problems),
    attachEditorContext: readField(config, 'attachEditorContext', problems),
    webSearchDefault: readField(config, 'webSearch.default', problems),
    timeoutSeconds: readField(config, 'timeoutSeconds', problems),
    contextExclude: readField(config, 'context.exclude', problems),
    keyStrategy: readField(config, 'keys.strategy', problems),
    environmentKey: environmentKeyPolicy(config, problems),
  };
  return { settings, problems };
}

/** `switchyard.environmentKey` from the user's settings only: a repository cannot make the environment's key pay. */
function environmentKeyPolicy(config: vscode.WorkspaceConfiguration, problems: string[]): EnvironmentKeyPolicy {
  const raw = config.inspect<unknown>('environmentKey')?.globalValue ?? SETTING_DEFAULTS.environmentKey;
  if (raw === 'ask' || raw === 'use' || raw === 'ignore') return raw;
  problems.push(`switchyard.environmentKey should be "ask", "use" or "ignore", not ${quoted(raw, 60)}; using "ask".`);
  return 'ask';
}

/**
 * Writes the picked model to the user's settings. Always the user's: a workspace's `model` is never
 * used (src/config/trust.ts), so writing there would change nothing.
 */
export async function writeModel(model: string): Promise<void> {
  await vscode.workspace.getConfiguration('switchyard').update('model', model, vscode.ConfigurationTarget.Global);
}

/** `switchyard.routing.*` and `switchyard.provider`, validated field by field. */
export function readRoutingSettings(): ParsedRouting {
  const config = vscode.workspace.getConfiguration('switchyard');
  const raw: RawRoutingSettings = {};
  for (const name of [
    'mode',
    'preferredModel',
    'preferredProvider',
    'tiers',
    'freeFirst',
    'fallback',
    'capacity',
    'budgets',
    'onBudget',
  ] as const) {
    raw[name] = trustedGet(config, `routing.${name}`, (v) => routingValueValid(name, v));
  }
  raw.provider = trustedGet(config, 'provider', (v) => routingValueValid('provider', v));
  raw.routes = trustedGet(config, 'routing.routes', () => true);
  return parseRoutingSettings(raw);
}
