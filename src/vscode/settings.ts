/**
 * Typed access to `switchyard.*` settings. Each field is validated on its own: a malformed value
 * is reported once and replaced by its default, and the other settings keep working.
 */
import * as vscode from 'vscode';
import { z } from 'zod';
import { SETTING_DEFAULTS } from '../config/defaults';
import { DEFAULT_BASE_URL, validateBaseUrl } from '../openrouter/baseUrl';

export interface SwitchyardSettings {
  /** Validated base URL, or the reason it is unusable. */
  readonly baseUrl: { readonly ok: true; readonly url: string } | { readonly ok: false; readonly message: string };
  readonly model: string;
  readonly fallbackModels: readonly string[];
  readonly autoDiscover: boolean;
  readonly maxOutputTokens: number;
  readonly attachEditorContext: boolean;
  readonly timeoutSeconds: number;
}

const fieldSchemas = {
  model: z.string().trim().min(1).max(200),
  fallbackModels: z.array(z.string().trim().min(1).max(200)).max(20),
  autoDiscover: z.boolean(),
  maxOutputTokens: z.number().int().min(256).max(1_000_000),
  attachEditorContext: z.boolean(),
  timeoutSeconds: z.number().min(1).max(3600),
};

type FieldName = keyof typeof fieldSchemas;

function readField<K extends FieldName>(config: vscode.WorkspaceConfiguration, name: K, problems: string[]): z.infer<(typeof fieldSchemas)[K]> {
  const raw = config.get<unknown>(name);
  if (raw === undefined) return SETTING_DEFAULTS[name] as z.infer<(typeof fieldSchemas)[K]>;
  const parsed = fieldSchemas[name].safeParse(raw);
  if (parsed.success) return parsed.data as z.infer<(typeof fieldSchemas)[K]>;
  problems.push(`switchyard.${name} is invalid (${parsed.error.issues[0]?.message ?? 'bad value'}); using the default ${JSON.stringify(SETTING_DEFAULTS[name])}.`);
  return SETTING_DEFAULTS[name] as z.infer<(typeof fieldSchemas)[K]>;
}

/** Reads all settings; `problems` lists what was malformed. */
export function readSettings(): { settings: SwitchyardSettings; problems: string[] } {
  const config = vscode.workspace.getConfiguration('switchyard');
  const problems: string[] = [];
  const baseUrl = validateBaseUrl(config.get<unknown>('baseUrl') ?? DEFAULT_BASE_URL);
  if (!baseUrl.ok) problems.push(baseUrl.message);
  const settings: SwitchyardSettings = {
    baseUrl,
    model: readField(config, 'model', problems),
    fallbackModels: readField(config, 'fallbackModels', problems),
    autoDiscover: readField(config, 'autoDiscover', problems),
    maxOutputTokens: readField(config, 'maxOutputTokens', problems),
    attachEditorContext: readField(config, 'attachEditorContext', problems),
    timeoutSeconds: readField(config, 'timeoutSeconds', problems),
  };
  return { settings, problems };
}

/** Writes the picked model to the user's settings (global unless the workspace overrides it). */
export async function writeModel(model: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('switchyard');
  const inspected = config.inspect<string>('model');
  const target = inspected?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder : inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('model', model, target);
}
