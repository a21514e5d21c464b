/**
 * Reads `switchyard.*` settings through the workspace trust rules (src/config/trust.ts): settings
 * that spend money or decide where data goes take the user's value unless the workspace's is
 * stricter. In Restricted Mode (an untrusted folder) a workspace value is not considered at all.
 */
import * as vscode from 'vscode';
import { SETTING_CHECKS } from '../../config/settingChecks';
import { ignoredNotice, mergeChecked, mergeSettings, TRUST_RULES, type Layers } from '../../config/trust';

/** The layers of one setting (`name` after `switchyard.`). */
export function layersOf(config: vscode.WorkspaceConfiguration, name: string): Layers {
  const inspected = config.inspect<unknown>(name);
  const workspace = vscode.workspace.isTrusted
    ? (inspected?.workspaceFolderValue ?? inspected?.workspaceValue)
    : undefined;
  return { defaultValue: inspected?.defaultValue, user: inspected?.globalValue, workspace };
}

/** The value to use for `switchyard.<name>`, after the trust rules; a workspace value that would make it invalid is ignored. */
export function trustedGet(
  config: vscode.WorkspaceConfiguration,
  name: string,
  valid: (value: unknown) => boolean,
): unknown {
  return mergeChecked(name, layersOf(config, name), valid).value;
}

/** The one notice naming every workspace value ignored: looser than the user's, or refused by the setting's schema. */
export function ignoredSettingsNotice(): string | undefined {
  const config = vscode.workspace.getConfiguration('switchyard');
  const layers: Record<string, Layers> = {};
  for (const name of Object.keys(TRUST_RULES)) layers[name] = layersOf(config, name);
  const { ignored, invalid } = mergeSettings(layers, SETTING_CHECKS);
  return ignoredNotice(ignored, invalid);
}
