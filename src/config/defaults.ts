/** Default values of the `switchyard.*` settings. A unit test checks they equal package.json's. */
import { DEFAULT_BASE_URL } from '../openrouter/baseUrl';

export const SETTING_DEFAULTS = {
  baseUrl: DEFAULT_BASE_URL,
  model: 'openrouter/auto',
  fallbackModels: [] as string[],
  autoDiscover: true,
  maxOutputTokens: 4096,
  attachEditorContext: true,
  timeoutSeconds: 90,
  'keys.strategy': 'failover',
  'agent.autoApprove': { read: true, edit: false, command: false },
  'agent.allowedCommands': [] as string[],
  'agent.deniedCommands': [] as string[],
  'agent.maxSteps': 25,
  'agent.commandTimeoutSeconds': 120,
} as const;
