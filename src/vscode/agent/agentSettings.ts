/**
 * `switchyard.agent.*` settings, read like every setting (src/vscode/settings/settings.ts `readSetting`:
 * the trust table, then each validated on its own).
 */
import * as vscode from 'vscode';
import type * as z from 'zod/mini';
import type { AgentSettings } from '../../agent/session';
import { DEFAULT_TIER_MODELS } from '../../agent/tiers';
import { SETTING_DEFAULTS } from '../../config/defaults';
import { agentExpected, agentSchemas as schemas } from '../../config/settingSchemas';
import { readSetting } from '../settings/settings';

/**
 * What a workspace (a cloned repository's `.vscode/settings.json`) may do is the trust table's
 * (src/config/trust.ts): nothing for `autoApprove`, only narrow `allowedCommands`, only add to
 * `deniedCommands`, only lower `maxSteps`.
 */
/** `switchyard.agent.sandbox.network`: a repository cannot turn the network on (the trust table's `userOnly`). */
export function sandboxNetworkSetting(): boolean {
  const field = 'agent.sandbox.network';
  return readSetting(
    vscode.workspace.getConfiguration('switchyard'),
    field,
    { schema: schemas[field], expected: agentExpected[field] },
    [],
  );
}

export function readAgentSettings(): { settings: AgentSettings; problems: string[] } {
  const config = vscode.workspace.getConfiguration('switchyard');
  const problems: string[] = [];
  const field = <K extends keyof typeof schemas>(name: K): z.infer<(typeof schemas)[K]> =>
    readSetting(config, name, { schema: schemas[name], expected: agentExpected[name] }, problems);
  const auto = field('agent.autoApprove');
  const tiers = field('agent.models');
  const taskBudgetUsd = field('agent.taskBudgetUsd');
  const defaults = SETTING_DEFAULTS['agent.autoApprove'];
  return {
    settings: {
      approval: {
        autoApprove: {
          read: auto.read ?? defaults.read,
          edit: auto.edit ?? defaults.edit,
          command: auto.command ?? defaults.command,
        },
        allowedCommands: field('agent.allowedCommands'),
        deniedCommands: field('agent.deniedCommands'),
        acceptUnsandboxed: field('agent.sandbox.acceptUnsandboxed'),
      },
      maxSteps: field('agent.maxSteps'),
      commandTimeoutSeconds: field('agent.commandTimeoutSeconds'),
      tiers: { ...DEFAULT_TIER_MODELS, ...tiers },
      ...(taskBudgetUsd !== null ? { taskBudgetUsd } : {}),
      subagentMaxSteps: field('agent.subagent.maxSteps'),
      compactThreshold: field('agent.compaction.threshold'),
    },
    problems,
  };
}
