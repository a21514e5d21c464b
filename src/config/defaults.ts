/** Default values of the `switchyard.*` settings. A unit test checks they equal package.json's. */
import { DEFAULT_BASE_URL } from '../openrouter/baseUrl';

export const SETTING_DEFAULTS = {
  baseUrl: DEFAULT_BASE_URL,
  model: 'openrouter/auto',
  fallbackModels: [] as string[],
  autoDiscover: true,
  maxOutputTokens: 4096,
  attachEditorContext: true,
  'webSearch.default': false,
  timeoutSeconds: 90,
  'keys.strategy': 'failover',
  environmentKey: 'ask',
  'agent.autoApprove': { read: true, edit: false, command: false },
  'agent.allowedCommands': [] as string[],
  'agent.deniedCommands': [] as string[],
  'agent.maxSteps': 25,
  'agent.commandTimeoutSeconds': 120,
  'agent.models': { plan: 'auto', act: 'auto', explore: 'auto', compact: 'auto' },
  'agent.taskBudgetUsd': null as number | null,
  'agent.subagent.maxSteps': 8,
  'agent.compaction.threshold': 0.85,
  'agent.instructions': '',
  'chat.instructions': true,
  'mcp.servers': {} as Record<string, unknown>,
  'mcp.trustedServers': [] as string[],
  'agent.sandbox.network': false,
  'agent.sandbox.acceptUnsandboxed': false,
  'context.exclude': [] as string[],
} as const;

/**
 * The `switchyard.model` value of the picker's **Auto by task** entry: no model is picked, so
 * each request goes by its tier (`switchyard.routing.tiers`; chat messages use `chat`). See the
 * precedence table in the README ("Which model answers").
 */
export const AUTO_BY_TASK = 'auto-by-task';

/** The model of a request when Auto by task is picked and neither its tier nor `chat` is configured. */
export const AUTO_BY_TASK_DEFAULT = 'openrouter/auto';
