/** Reads and writes `switchyard.completions.*` (the trust rule is in src/completions/settings.ts). */
import * as vscode from 'vscode';
import type { CompletionSettings } from '../../completions/defaults';
import { resolveCompletionExclude, resolveCompletionSettings } from '../../completions/settings';

export { languageOn } from '../../completions/settings';
export type { CompletionSettings };

const SECTION = 'switchyard.completions';

/** The settings; `problems` lists malformed user values. */
export function readCompletionSettings(): { settings: CompletionSettings; problems: string[] } {
  const config = vscode.workspace.getConfiguration(SECTION);
  return resolveCompletionSettings((name) => config.inspect<unknown>(name));
}

/** `switchyard.completions.exclude`, every scope's globs together. */
export function readCompletionExclude(): string[] {
  return resolveCompletionExclude(vscode.workspace.getConfiguration(SECTION).inspect<unknown>('exclude'));
}

/** Writes a user-level value (completions' settings are the user's own). */
export async function writeCompletionSetting(name: 'enabled' | 'languages' | 'model', value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update(name, value, vscode.ConfigurationTarget.Global);
}
