/**
 * Host → webview: what the chat view renders — messages, attachments and mentions, answers' meta,
 * failures, thinking, the model badge and the account. Part of the one contract, ./messages.ts.
 */
import type { ToolCallView } from './agentViews';
import type { ReasoningChoice } from './reasoning';
import type { MentionKind, WebviewCommandId } from './webviewToHost';

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
  /** A row for an MCP server still starting (no resource yet: `path` is absent). */
  readonly starting?: boolean;
}

/** What a `/` row does: a built-in (`newChat`, send its text, or run a command), a skill, an MCP prompt. */
export type SlashAction =
  | { readonly kind: 'newChat' }
  | { readonly kind: 'send'; readonly text: string }
  | { readonly kind: 'command'; readonly command: WebviewCommandId }
  /** `name`: the skill's own, when the row shows another (a skill named like a built-in, `skill:compact`). */
  | { readonly kind: 'skill'; readonly name?: string }
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
  /**
   * The answer did not end by itself (`finish_reason`): `length` — it reached the output limit
   * (`max_tokens`) and is cut off; `content_filter` — the provider's filter stopped it.
   */
  readonly cutOff?: CutOff;
}

/** Why a finished answer is incomplete (see {@link AnswerMeta.cutOff}). */
export type CutOff = 'length' | 'content_filter';

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
