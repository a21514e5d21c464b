/**
 * The shape each `switchyard.*` setting must have (zod/mini), shared by the readers
 * (src/vscode/settings/settings.ts, src/vscode/agent/agentSettings.ts) and the trust merge's check
 * (src/config/trust.ts `mergeChecked`: a workspace value that would make a setting invalid is
 * ignored, never replaced by the default over the user's own). Pure.
 */
import * as z from 'zod/mini';

const modelId = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
export const fieldSchemas = {
  model: modelId,
  fallbackModels: z.array(modelId).check(z.maxLength(20)),
  autoDiscover: z.boolean(),
  maxOutputTokens: z.number().check(z.int(), z.gte(256), z.lte(1_000_000)),
  attachEditorContext: z.boolean(),
  'webSearch.default': z.boolean(),
  timeoutSeconds: z.number().check(z.gte(1), z.lte(3600)),
  'context.exclude': z.array(z.string().check(z.minLength(1), z.maxLength(500))).check(z.maxLength(200)),
  'keys.strategy': z.enum(['failover', 'roundRobin']),
};

const tierModel = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
const prefix = z.string().check(z.trim(), z.minLength(1), z.maxLength(500));
export const agentSchemas = {
  'agent.autoApprove': z.object({
    read: z.optional(z.boolean()),
    edit: z.optional(z.boolean()),
    command: z.optional(z.boolean()),
  }),
  'agent.allowedCommands': z.array(prefix).check(z.maxLength(200)),
  'agent.deniedCommands': z.array(prefix).check(z.maxLength(200)),
  'agent.maxSteps': z.number().check(z.int(), z.gte(1), z.lte(200)),
  'agent.commandTimeoutSeconds': z.number().check(z.gte(1), z.lte(86_400)),
  'agent.compaction.threshold': z.number().check(z.gte(0.3), z.lte(0.95)),
  'agent.sandbox.network': z.boolean(),
  'agent.sandbox.acceptUnsandboxed': z.boolean(),
  'agent.models': z.object({
    plan: z.optional(tierModel),
    act: z.optional(tierModel),
    explore: z.optional(tierModel),
    compact: z.optional(tierModel),
  }),
  'agent.taskBudgetUsd': z.nullable(z.number().check(z.gt(0), z.lte(10_000))),
  'agent.subagent.maxSteps': z.number().check(z.int(), z.gte(1), z.lte(50)),
};

/** What each field expects, in words (zod/mini keeps its own messages generic). */
export const fieldExpected: Readonly<Record<keyof typeof fieldSchemas, string>> = {
  model: 'a model id such as "anthropic/claude-sonnet-4"',
  fallbackModels: 'a list of at most 20 model ids',
  autoDiscover: 'true or false',
  maxOutputTokens: 'a whole number from 256 to 1000000',
  attachEditorContext: 'true or false',
  'webSearch.default': 'true or false',
  timeoutSeconds: 'a number of seconds from 1 to 3600',
  'context.exclude': 'a list of glob patterns such as "secrets/**" or "*.secret"',
  'keys.strategy': '"failover" or "roundRobin"',
};

/** What each agent setting expects, in words. */
export const agentExpected: Readonly<Record<keyof typeof agentSchemas, string>> = {
  'agent.autoApprove': 'an object like {"read": true, "edit": false, "command": false}',
  'agent.allowedCommands': 'a list of command prefixes',
  'agent.deniedCommands': 'a list of command prefixes',
  'agent.maxSteps': 'a whole number from 1 to 200',
  'agent.commandTimeoutSeconds': 'a number of seconds from 1 to 86400',
  'agent.compaction.threshold': 'a share of the context from 0.3 to 0.95',
  'agent.sandbox.network': 'true or false',
  'agent.sandbox.acceptUnsandboxed': 'true or false',
  'agent.models':
    'an object like {"plan": "auto", "act": "auto", "explore": "auto", "compact": "auto"} (each "auto", "picked" or a model id)',
  'agent.taskBudgetUsd': 'null or a number of USD above 0 and at most 10000',
  'agent.subagent.maxSteps': 'a whole number from 1 to 50',
};
