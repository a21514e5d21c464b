/**
 * `switchyard.agent.*` settings, each validated on its own (a malformed one is reported and its
 * default used, like src/vscode/settings.ts).
 */
import * as vscode from 'vscode';
import * as z from 'zod/mini';
import type { AgentSettings } from '../agent/session';
import { SETTING_DEFAULTS } from '../config/defaults';
import { trustedGet } from './trustedSettings';

const prefix = z.string().check(z.trim(), z.minLength(1), z.maxLength(500));
const schemas = {
  'agent.autoApprove': z.object({ read: z.optional(z.boolean()), edit: z.optional(z.boolean()), command: z.optional(z.boolean()) }),
  'agent.allowedCommands': z.array(prefix).check(z.maxLength(200)),
  'agent.deniedCommands': z.array(prefix).check(z.maxLength(200)),
  'agent.maxSteps': z.number().check(z.int(), z.gte(1), z.lte(200)),
  'agent.commandTimeoutSeconds': z.number().check(z.gte(1), z.lte(86_400)),
  'agent.sandbox.network': z.boolean(),
  'agent.sandbox.acceptUnsandboxed': z.boolean(),
};
const expected: Record<keyof typeof schemas, string> = {
  'agent.autoApprove': 'an object like {"read": true, "edit": false, "command": false}',
  'agent.allowedCommands': 'a list of command prefixes',
  'agent.deniedCommands': 'a list of command prefixes',
  'agent.maxSteps': 'a whole number from 1 to 200',
  'agent.commandTimeoutSeconds': 'a number of seconds from 1 to 86400',
  'agent.sandbox.network': 'true or false',
  'agent.sandbox.acceptUnsandboxed': 'true or false',
};

/**
 * What a workspace (a cloned repository's `.vscode/settings.json`) may do: nothing for what
 * approves on the user's behalf (`autoApprove`, `allowedCommands` are read from user settings
 * only), only add to `deniedCommands`, only lower `maxSteps`.
 */
type Scope = 'user' | 'any';

function field<K extends keyof typeof schemas>(config: vscode.WorkspaceConfiguration, name: K, problems: string[], scope: Scope = 'any'): z.infer<(typeof schemas)[K]> {
  // Through the trust rules (src/config/trust.ts): a looser workspace value is ignored.
  const raw = scope === 'user' ? config.inspect<unknown>(name)?.globalValue : trustedGet(config, name);
  const fallback = SETTING_DEFAULTS[name] as z.infer<(typeof schemas)[K]>;
  if (raw === undefined) return fallback;
  const parsed = schemas[name].safeParse(raw);
  if (parsed.success) return parsed.data as z.infer<(typeof schemas)[K]>;
  problems.push(`switchyard.${name} should be ${expected[name]}, not ${JSON.stringify(raw)?.slice(0, 60)}; using the default.`);
  return fallback;
}

/** `switchyard.agent.sandbox.network`, from user settings only (a repository cannot turn the network on). */
export function sandboxNetworkSetting(): boolean {
  return field(vscode.workspace.getConfiguration('switchyard'), 'agent.sandbox.network', [], 'user');
}

export function readAgentSettings(): { settings: AgentSettings; problems: string[] } {
  const config = vscode.workspace.getConfiguration('switchyard');
  const problems: string[] = [];
  const auto = field(config, 'agent.autoApprove', problems, 'user');
  const userDenied = field(config, 'agent.deniedCommands', problems, 'user');
  const anyDenied = field(config, 'agent.deniedCommands', problems);
  const userMax = field(config, 'agent.maxSteps', problems, 'user');
  const defaults = SETTING_DEFAULTS['agent.autoApprove'];
  return {
    settings: {
      approval: {
        autoApprove: { read: auto.read ?? defaults.read, edit: auto.edit ?? defaults.edit, command: auto.command ?? defaults.command },
        allowedCommands: field(config, 'agent.allowedCommands', problems, 'user'),
        deniedCommands: [...new Set([...userDenied, ...anyDenied])],
        acceptUnsandboxed: field(config, 'agent.sandbox.acceptUnsandboxed', problems, 'user'),
      },
      maxSteps: Math.min(userMax, field(config, 'agent.maxSteps', problems)),
      commandTimeoutSeconds: field(config, 'agent.commandTimeoutSeconds', problems),
    },
    problems,
  };
}
