/**
 * The one contract between the chat webview and the extension host.
 *
 * Webview → host messages are validated at run time with zod at the host boundary (the webview is
 * a separate, less trusted process); an invalid message is logged and dropped, never a crash.
 * Host → webview messages are typed only: the webview imports this file with `import type`, so
 * zod never reaches the webview bundle.
 */
import * as z from 'zod/mini';
import { MAX_IMAGE_DATA_URL } from './images';
import { REASONING_CHOICES, type ReasoningChoice } from './reasoning';

/** Commands the webview may ask the host to run. Anything else is rejected. */
export const WebviewCommandIds = [
  'switchyard.setApiKey',
  'switchyard.pickModel',
  'switchyard.refreshModels',
  'switchyard.showLog',
  'switchyard.openCredits',
  'switchyard.explainRoute',
  'switchyard.signIn',
  'switchyard.cancelSignIn',
  'switchyard.manageKeys',
  'switchyard.refreshCredits',
  'switchyard.pastChats',
  /** The paperclip: an open dialog for PNG, JPEG, WebP and GIF images. */
  'switchyard.attachImage',
  /** The way out of a vision refusal: the model picker, vision models only. */
  'switchyard.pickVisionModel',
  /** The task header's budget, and the way forward of a task stopped by its budget. */
  'switchyard.agent.setTaskBudget',
  /** The welcome's "Use Switchyard models in VS Code Chat". */
  'switchyard.useInVsCodeChat',
  /** The `/mcp` slash command: the MCP servers and their state. */
  'switchyard.mcpServers',
  /** The `/instructions` slash command: which instruction files are read, each on or off. */
  'switchyard.instructionFiles',
  /** A budget block's way forward: Set Budgets… (then Retry). */
  'switchyard.editBudgets',
  /** A budget block's way forward: this message once, over the budget (the setting unchanged). */
  'switchyard.sendOverBudgetOnce',
  /** A budget block's way forward: the message again without its attachments and earlier messages. */
  'switchyard.sendSmallerContext',
] as const;
export type WebviewCommandId = (typeof WebviewCommandIds)[number];

const MAX_TEXT = 200_000;

/** What an `@` mention can attach (see src/vscode/mentionService.ts). */
export const MentionKinds = [
  'file',
  'selection',
  'problems',
  'workspaceProblems',
  'diff',
  'open',
  'terminal',
  'image',
  /** A resource of a running MCP server (`path` is its URI, `server` the server's name). */
  'resource',
] as const;
export type MentionKind = (typeof MentionKinds)[number];

/** Code block actions that open a diff or a new editor. */
const codeText = z.string().check(z.maxLength(MAX_TEXT));
const languageTag = z.string().check(z.maxLength(64));

/** Messages the webview sends to the host. */
export const WebviewToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('send'),
    text: z.string().check(z.minLength(1), z.maxLength(MAX_TEXT)),
    /** The chips shown when Send was pressed: only these are sent. */
    attachmentIds: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.maxLength(100))),
    /** "Search the web" was on for this message: OpenRouter's web plugin goes with it. */
    webSearch: z.optional(z.boolean()),
  }),
  z.object({ type: z.literal('stop') }),
  /** Ends the running answer's visible wait (a cooldown or backoff countdown): send at once. */
  z.object({ type: z.literal('sendNow') }),
  z.object({ type: z.literal('newChat') }),
  z.object({ type: z.literal('retry'), messageId: z.string().check(z.minLength(1), z.maxLength(100)) }),
  z.object({ type: z.literal('removeAttachment'), id: z.string().check(z.minLength(1), z.maxLength(200)) }),
  /**
   * An image pasted or dropped into the composer: its file name and its bytes as a
   * `data:image/…;base64,…` URL (at most 5 MiB of image, src/protocol/images.ts; the host reads
   * the type from the bytes and says why it refuses one under the composer).
   */
  z.object({
    type: z.literal('attachImage'),
    name: z.string().check(z.minLength(1), z.maxLength(200)),
    dataUrl: z.string().check(z.minLength(1), z.maxLength(MAX_IMAGE_DATA_URL)),
  }),
  z.object({ type: z.literal('copyCode'), code: z.string().check(z.maxLength(MAX_TEXT)) }),
  z.object({ type: z.literal('insertCode'), code: z.string().check(z.maxLength(MAX_TEXT)) }),
  z.object({ type: z.literal('runCommand'), command: z.enum(WebviewCommandIds) }),
  // `@` mentions: completions for the text after `@`, then attaching the picked item.
  z.object({
    type: z.literal('mentionQuery'),
    id: z.number().check(z.int(), z.minimum(0)),
    query: z.string().check(z.maxLength(500)),
  }),
  z.object({
    type: z.literal('attachMention'),
    kind: z.enum(MentionKinds),
    path: z.optional(z.string().check(z.minLength(1), z.maxLength(2000))),
    server: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  }),
  // `/` commands at the start of the message: rows for the text after `/`, then a picked skill
  // (its SKILL.md is attached) or MCP prompt (its arguments are asked, its text inserted).
  z.object({
    type: z.literal('slashQuery'),
    id: z.number().check(z.int(), z.minimum(0)),
    query: z.string().check(z.maxLength(200)),
  }),
  z.object({
    type: z.literal('slashPick'),
    kind: z.enum(['skill', 'prompt']),
    name: z.string().check(z.minLength(1), z.maxLength(200)),
    server: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  }),
  // The composer's list of instruction files: open one (by its label as listed).
  z.object({ type: z.literal('openInstructions'), label: z.string().check(z.minLength(1), z.maxLength(500)) }),
  // Code block actions: Apply (through a diff) and New file.
  z.object({
    type: z.literal('applyCode'),
    messageId: z.string().check(z.minLength(1), z.maxLength(100)),
    code: codeText,
    language: languageTag,
  }),
  // `messageId`: the answer holding the block, so the host can suggest the file's name (src/context/newFileName.ts).
  z.object({
    type: z.literal('newFile'),
    code: codeText,
    language: languageTag,
    messageId: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  }),
  // Agent mode (src/agent): the composer's mode, a tool call's approval, a step's checkpoint, a running command.
  z.object({ type: z.literal('setMode'), mode: z.enum(['ask', 'plan', 'agent']) }),
  /** Under a plan (Plan mode's final answer): Act on this plan, or Revise it. */
  z.object({
    type: z.literal('planAction'),
    messageId: z.string().check(z.minLength(1), z.maxLength(100)),
    action: z.enum(['act', 'revise']),
  }),
  z.object({
    type: z.literal('toolDecision'),
    callId: z.string().check(z.minLength(1), z.maxLength(200)),
    approve: z.boolean(),
    /** Optional words for the model with a Reject (sent as the tool's result). */
    feedback: z.optional(z.string().check(z.maxLength(4000))),
    /** "Always allow <tool> in this workspace". */
    always: z.optional(z.boolean()),
    /** "Always allow this server" (an MCP tool's card). */
    alwaysServer: z.optional(z.boolean()),
    /** "Approve with network": this sandboxed command may reach the network. */
    allowNetwork: z.optional(z.boolean()),
  }),
  z.object({ type: z.literal('restoreCheckpoint'), stepId: z.string().check(z.minLength(1), z.maxLength(100)) }),
  z.object({ type: z.literal('killCommand'), callId: z.string().check(z.minLength(1), z.maxLength(200)) }),
  /** Continue on a past task reopened from Past Chats (read-only until then). */
  z.object({ type: z.literal('continueTask') }),
  // The primary action of an answer whose code is not an edit (Create test file, Use as commit message).
  z.object({
    type: z.literal('useCode'),
    messageId: z.string().check(z.minLength(1), z.maxLength(100)),
    code: codeText,
  }),
  // A web search source under an answer: opened through VS Code's external opener; the host opens
  // only plain http(s) URLs (src/openrouter/citations.ts `safeSourceUrl`).
  z.object({ type: z.literal('openSource'), url: z.string().check(z.minLength(1), z.maxLength(2048)) }),
  // A link in an answer, with its visible text: the host opens http(s)/mailto only, and asks first
  // when the text does not say where the link goes (src/protocol/links.ts).
  z.object({
    type: z.literal('openLink'),
    url: z.string().check(z.minLength(1), z.maxLength(2048)),
    text: z.string().check(z.maxLength(500)),
  }),
  // The header's reasoning effort control: remembered for that model (src/openrouter/reasoning.ts).
  z.object({
    type: z.literal('setReasoningEffort'),
    model: z.string().check(z.minLength(1), z.maxLength(300)),
    effort: z.enum(REASONING_CHOICES),
  }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHostSchema>;

/** Parses a raw message from the webview; `undefined` (with the reason) when it is not valid. */
export function parseWebviewMessage(raw: unknown): { ok: true; message: WebviewToHost } | { ok: false; error: string } {
  const result = WebviewToHostSchema.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  const issue = result.error.issues[0];
  return { ok: false, error: issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid message' };
}

/** What a piece of context is (its relevance and chip icon follow from it). */
export type AttachmentKind = 'selection' | 'file' | 'problems' | 'diff' | 'terminal' | 'resource';

/** A piece of editor context (or an image) attached to the next message, shown as a removable chip. */
export interface AttachmentView {
  readonly id: string;
  readonly kind: AttachmentKind | 'image';
  /** e.g. `src/app.ts:10-24` */
  readonly label: string;
  /** Estimated tokens actually sent (after truncation). */
  readonly tokens: number;
  /** True when the content was cut to fit the model's context window. */
  readonly truncated: boolean;
  /** Estimated tokens before truncation. */
  readonly originalTokens: number;
  /** True when it does not fit at all and will not be (was not) sent. */
  readonly dropped?: boolean;
  /** For images: where the webview shows it from (a webview resource URI or a data URL), its type and size in bytes. */
  readonly image?: { readonly src: string; readonly mime: string; readonly bytes: number };
}

/** One row of the `@` completion list. */
export interface MentionItem {
  readonly kind: MentionKind;
  /** What the row shows, e.g. `@problems` or `src/math.ts`. */
  readonly label: string;
  readonly detail?: string;
  /** For files: the path to attach. */
  readonly path?: string;
  /** Picking it asks for more (`@file` → the file list) instead of attaching. */
  readonly needsQuery?: boolean;
  /** For MCP resources: the server it belongs to (`path` is the resource's URI). */
  readonly server?: string;
}

/** What a `/` row does: a built-in (`newChat`, send its text, or run a command), a skill, an MCP prompt. */
export type SlashAction =
  | { readonly kind: 'newChat' }
  | { readonly kind: 'send'; readonly text: string }
  | { readonly kind: 'command'; readonly command: WebviewCommandId }
  | { readonly kind: 'skill' }
  | { readonly kind: 'prompt'; readonly server: string };

/** One row of the `/` command list. */
export interface SlashItem {
  /** The name typed after `/`: `new`, `compact`, a skill's name, an MCP prompt's name. */
  readonly name: string;
  /** One line: what it does, a skill's description, a prompt's description and server. */
  readonly detail?: string;
  readonly action: SlashAction;
}

/** An instruction file as the composer lists it: read for the next message or task unless turned off. */
export interface InstructionFileView {
  /** `AGENTS.md`, `.github/copilot-instructions.md`, `~/.switchyard/AGENTS.md`, `switchyard.agent.instructions`. */
  readonly label: string;
  readonly on: boolean;
}

/** Which model and provider served an answer, and what it cost. */
export interface AnswerMeta {
  /** The model the user asked for. */
  readonly requestedModel: string;
  /** The fallback models sent with the request (OpenRouter's `models` after the primary). */
  readonly fallbacks?: readonly string[];
  /** The model that actually served (from the response). */
  readonly model?: string;
  readonly provider?: string;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  /**
   * USD actually paid: `usage.cost`, plus `usage.cost_details.upstream_inference_cost` for BYOK
   * answers, plus what `GET /generation` reported for attempts that broke off or were stopped.
   */
  readonly cost?: number;
  /**
   * The part of `cost` that is a worst-case estimate (USD): attempts whose cost neither usage nor
   * `GET /generation` told (a Stop before the response began, a record that never appeared).
   */
  readonly costEstimatedUsd?: number;
  /** For BYOK answers: OpenRouter's fee and the provider's charge (USD), which add up to `cost`. */
  readonly costSplit?: { readonly fee: number; readonly upstream: number };
  readonly generationId?: string;
  /** Milliseconds from send to the first token. */
  readonly ttftMs?: number;
  /** `usage.completion_tokens_details.reasoning_tokens`: completion tokens spent thinking. */
  readonly reasoningTokens?: number;
  /**
   * Prompt cache: tokens read from it (`prompt_tokens_details.cached_tokens`), written to it
   * (`cache_write_tokens`), and USD saved (`cache_discount`, else from the model's prices; negative
   * when writing cost more than reading saved).
   */
  readonly cache?: { readonly readTokens: number; readonly writeTokens: number; readonly savedUsd?: number };
  /** An agent step's route: which model its tier asked for and why, what the router did, the prompt cache. */
  readonly route?: string;
}

/** A web search source under an answer: an http(s) URL and a one-line title (src/openrouter/citations.ts). */
export interface SourceLink {
  readonly url: string;
  readonly title: string;
}

/** A failure as the user sees it: what happened and what fixes it. */
export interface FailureView {
  readonly kind: string;
  readonly title: string;
  readonly message: string;
  readonly action?: { readonly label: string; readonly command: WebviewCommandId };
  /** Further ways forward, shown after `action`. */
  readonly moreActions?: readonly { readonly label: string; readonly command: WebviewCommandId }[];
}

export type MessageStatus = 'streaming' | 'done' | 'stopped' | 'error';

/** The composer's mode: the chat, a plan (read-only tools, ends with a plan document), or an agent task that may call tools. */
export type ChatMode = 'ask' | 'plan' | 'agent';

/** One item of the agent's to-do list (the `todo_write` tool, src/agent/todos.ts). */
export interface TodoView {
  readonly id: string;
  readonly content: string;
  readonly status: 'pending' | 'in_progress' | 'done';
}

/** A tool call's state on its card. */
export type ToolCallState = 'waiting' | 'running' | 'done' | 'rejected' | 'failed';

/** One tool call of an agent step, as its card shows it. */
export interface ToolCallView {
  readonly id: string;
  /** `read_file`, `run_command`, … */
  readonly tool: string;
  /** The call in human form: "Read src/calc.ts lines 1–40". */
  readonly title: string;
  readonly state: ToolCallState;
  /** Why it asks (or ran without asking). */
  readonly reason?: string;
  /** The card may offer "Always allow <tool> in this workspace". */
  readonly canAlwaysAllow?: boolean;
  /** An MCP tool's card: the server it belongs to (the card may offer "Always allow this server"). */
  readonly server?: string;
  /** The proposed change of an edit, as a unified diff. */
  readonly diff?: string;
  /** The result as the model got it (shown collapsed), key-free. */
  readonly result?: string;
  /** One line under the title: "exit code 1", "3 matches", "rejected: use const". */
  readonly summary?: string;
  /** A command still running past its timeout: the card offers Kill. */
  readonly killable?: boolean;
  /** Commands: how the command is contained ("Sandboxed: …, network off" / "Not sandboxed: …"). */
  readonly sandbox?: string;
  /** A waiting sandboxed command may be approved with the network on, for this command only. */
  readonly canAllowNetwork?: boolean;
  /** A `run_subagent` card: the subagent's steps (model per step) and what it cost, counted in the task. */
  readonly subagent?: { readonly steps: readonly SubagentStepView[]; readonly spentUsd: number };
}

/** One step of a subagent, on its card. */
export interface SubagentStepView {
  /** The model that served it. */
  readonly model: string;
  /** Why that model (the step's route line). */
  readonly route: string;
  /** The tools it called. */
  readonly tools: readonly string[];
  readonly costUsd?: number;
}

/** An agent task's running figures, for the header. */
export interface AgentTaskView {
  readonly running: boolean;
  readonly steps: number;
  /** USD spent by the task so far (`usage.cost` of each step). */
  readonly spentUsd: number;
  /** Said once per task: the picked model has no tools, so steps go to another ("x has no tools → y"). */
  readonly substitution?: string;
  /** The task's to-do list (pinned above the task), when the model keeps one. */
  readonly todos?: readonly TodoView[];
  /** A past task reopened from Past Chats: shown read-only, with Continue. */
  readonly past?: boolean;
  /** The task's budget in USD (its own, or the settings'), when it has one. */
  readonly budgetUsd?: number;
  /** The cost at the task's current rate: "~$0.0040/step · budget lasts ~7 more steps". */
  readonly forecast?: string;
  /** The model the remaining steps moved to when the budget ran short (onBudget: downgrade). */
  readonly movedTo?: string;
}

/** One message of the conversation as rendered by the webview. */
export interface ChatMessageView {
  readonly id: string;
  readonly role: 'user' | 'assistant';
  readonly text: string;
  readonly status: MessageStatus;
  readonly createdAt: number;
  readonly attachments?: readonly AttachmentView[];
  readonly meta?: AnswerMeta;
  readonly error?: FailureView;
  /** Routing switches as they happened ("gpt-4o-mini rate-limited → trying claude-sonnet-4"). */
  readonly notices?: readonly string[];
  /** For answers to Fix / Refactor / Add Docs: the range their code replaces (`src/a.ts:3-7`). */
  readonly applyTarget?: string;
  /** Agent steps: the tool calls of this step, in order. */
  readonly tools?: readonly ToolCallView[];
  /** Agent steps that wrote files: Restore checkpoint is offered (false once restored). */
  readonly checkpoint?: 'available' | 'restored';
  /** For messages sent by an editor action: the short line shown ("Fix src/math.ts:15"); `text` is the full instruction, behind a disclosure. */
  readonly summary?: string;
  /** For answers whose code is not an edit of the editor: what their code blocks offer instead of Apply. */
  readonly codeUse?: CodeUseView;
  /** Web search sources of the answer (`url_citation` annotations), numbered in this order. */
  readonly sources?: readonly SourceLink[];
  /** User messages sent with "Search the web" on. */
  readonly webSearch?: boolean;
  /** While the answer waits before its next attempt: until when (epoch ms), for which model, why. */
  readonly waiting?: { readonly untilMs: number; readonly model: string; readonly reason: string };
  /** The model's thinking (shown above the answer, sanitized like it); never part of `text`. */
  readonly reasoning?: ReasoningView;
  /** Plan mode's final answer: the plan, opened in an editor; offers Act on this plan / Revise (`acted` once acted on). */
  readonly plan?: 'ready' | 'acted';
}

/** An answer's thinking as shown: its text and how long it took (ms, from its first piece to the answer's first). */
export interface ReasoningView {
  readonly text: string;
  readonly durationMs?: number;
}

/**
 * The primary action of an answer's code blocks when Apply would be wrong: Add Tests creates the
 * test file `path` (workspace-relative), Generate Commit Message fills the Source Control input.
 */
export type CodeUseView = { readonly kind: 'createFile'; readonly path: string } | { readonly kind: 'commitMessage' };

/** The current model as shown in the chat header. */
export interface ModelBadge {
  readonly id: string;
  readonly name: string;
  readonly contextLength?: number;
  readonly fallbacks: readonly string[];
  /** For models that accept `reasoning`: the effort choices they offer and the one in force. */
  readonly reasoning?: { readonly choices: readonly ReasoningChoice[]; readonly current: ReasoningChoice };
}

/** The account as the chat header shows it: credits, limits, a sign-in in progress. Never a key. */
export interface AccountView {
  /** One line, e.g. `$74.50 of $100.00 left · today $25.50`; empty when not known yet. */
  readonly credits: string;
  /** One line per key (label, limit, usage today/week/month), for the tooltip. */
  readonly details: readonly string[];
  /** Rate limits in force now, one line each (`gpt-4o-mini: 0 of 20 requests left, until 14:05:00`). */
  readonly rateLimits: readonly string[];
  /** A sign-in is waiting for the browser to come back. */
  readonly signingIn: boolean;
  /** Which key pays the next request, one short line (`Key: "Work" (pool, first of 3, failover)`, `Key: OPENROUTER_API_KEY (environment)`). */
  readonly paidBy?: string;
}

/** Messages the host sends to the webview. */
export type HostToWebview =
  | {
      readonly type: 'init';
      readonly messages: readonly ChatMessageView[];
      readonly model: ModelBadge;
      readonly hasKey: boolean;
      readonly attachments: readonly AttachmentView[];
      readonly busy: boolean;
      /** Whether "Search the web" starts on for each message (`switchyard.webSearch.default`). */
      readonly webSearchDefault?: boolean;
      /** Agent mode: the composer's mode and the task's figures. */
      readonly mode?: ChatMode;
      readonly task?: AgentTaskView;
    }
  | { readonly type: 'mode'; readonly mode: ChatMode }
  | { readonly type: 'agentTask'; readonly task: AgentTaskView }
  | { readonly type: 'model'; readonly model: ModelBadge }
  | { readonly type: 'account'; readonly hasKey: boolean; readonly account?: AccountView }
  | { readonly type: 'attachments'; readonly attachments: readonly AttachmentView[] }
  | { readonly type: 'messageAdded'; readonly message: ChatMessageView }
  | { readonly type: 'delta'; readonly id: string; readonly text: string }
  /** A streamed piece of an answer's thinking. */
  | { readonly type: 'reasoningDelta'; readonly id: string; readonly text: string }
  | { readonly type: 'messageUpdated'; readonly message: ChatMessageView }
  | { readonly type: 'busy'; readonly busy: boolean }
  | { readonly type: 'restoreDraft'; readonly text: string }
  | { readonly type: 'mentionResults'; readonly id: number; readonly items: readonly MentionItem[] }
  | { readonly type: 'slashResults'; readonly id: number; readonly items: readonly SlashItem[] }
  /** Text for the composer, at the caret (an MCP prompt's rendered text). */
  | { readonly type: 'insertText'; readonly text: string }
  /** The instruction files the next message (Ask) or task (Agent) reads; `[]` when none are in effect. */
  | { readonly type: 'instructions'; readonly files: readonly InstructionFileView[] }
  /** A message under the composer: why an `@` mention was refused, or what was attached. */
  | { readonly type: 'composerNotice'; readonly text: string; readonly level: 'error' | 'info' }
  | { readonly type: 'cleared' }
  /** `switchyard.webSearch.default` changed: the composer's toggle starts from it. */
  | { readonly type: 'webSearchDefault'; readonly on: boolean };
