/** What an agent task needs from its host, and what the model is told it is. */
import type { ImageStore } from '../context/images';
import type { ReasoningChoice } from '../openrouter/reasoning';
import type { ConversationEnv, KeyValueStore } from '../turn/env';
import type { AgentSettings, AgentTools } from './toolRunner';
import type { ToolName } from './tools';
import type { AgentExtras } from './extras';
import type { TaskArchive } from './taskHistory';

/** A plan (read-only tools; its final answer is the plan) or a task that acts. */
export type TaskKind = 'plan' | 'act';

export interface AgentEnvironment extends ConversationEnv {
  readonly tools: AgentTools;
  agentSettings(): AgentSettings;
  /** Tools the user chose "Always allow" for in this workspace. */
  alwaysAllowed(): ReadonlySet<string>;
  allowAlways(tool: ToolName): Promise<void>;
  /** Workspace storage for the task. */
  readonly store: KeyValueStore;
  /** Estimated tokens of a text. */
  tokens(text: string): number;
  /** Remembers the reasoning effort picked for a model (the header's control, shared with Ask). */
  rememberReasoningChoice?(model: string, choice: ReasoningChoice): Promise<void>;
  /** MCP servers, instructions and skills (src/agent/extras.ts). */
  readonly extras?: AgentExtras;
  /** Where images that tools return are kept (the chat's image store): the transcript keeps their file names. */
  readonly images?: ImageStore;
  /** Past Chats, where tasks are listed as they go and kept when a new one starts (src/agent/taskHistory.ts). */
  readonly archive?: TaskArchive;
  /** The mode a new task runs in, as Past Chats lists it (default `agent`). */
  taskMode?(): string;
  /** A plan (read-only tools; its final answer is the plan) or a task that acts (default). */
  readonly kind?: TaskKind;
  /** Where the task is kept in `store` (each kind has its own). */
  readonly storageKey?: string;
  /** A plan ended with its plan: `text` is the model's final answer, `messageId` the step that holds it. */
  onPlan?(text: string, messageId: string): void;
}

export const AGENT_SYSTEM_PROMPT = [
  "You are Switchyard, a coding agent working inside the user's VS Code workspace.",
  'Use the tools to read files, search, list, see problems, edit files and run commands. Paths are relative to the workspace root.',
  'Read a file before you edit it. edit_file replaces exact text that must occur exactly once; include enough surrounding lines.',
  'The user approves edits and commands; a rejection comes back as the tool result, often with their reason: follow it.',
  'When the task is done, answer with a short summary of what you changed and how you checked it, without calling a tool.',
].join('\n');
