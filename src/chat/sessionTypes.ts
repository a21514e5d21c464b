/** The chat session's contract: its environment, how a message is sent, what Explain Route gets. */
import type { ApplyTarget } from '../context/applyRange';
import type { Attachment } from '../context/attachment';
import type { Breakpoint, CachingMode } from '../openrouter/promptCache';
import type { ReasoningChoice, ReasoningEffort } from '../openrouter/reasoning';
import type { ChatRequestBody } from '../openrouter/wire';
import type { Tier } from '../routing/types';
import type { PlannedRequest } from '../turn/attemptBody';
import type { ConversationEnv, ConversationSettings, TurnLogger } from '../turn/env';
import type { CodeUse } from './conversation';
import type { ImageStore } from './images';

/** Whether and where the next request sets prompt-cache breakpoints (for Explain Route). */
export interface CachingPlan {
  readonly model: string;
  readonly mode: CachingMode;
  readonly breakpoints: readonly Breakpoint[];
  readonly messageCount: number;
}

export type ChatSettings = ConversationSettings;
export type ChatLogger = TurnLogger;

export interface ChatEnvironment extends ConversationEnv {
  /** Remembers the reasoning effort picked for a model. */
  rememberReasoningChoice?(model: string, choice: ReasoningChoice): Promise<void>;
  /** Where attached images are kept (files in the extension's storage); without it images are refused. */
  readonly images?: ImageStore;
}

/** How a message is sent: by a command (its tier, its own context, the range Apply replaces) or from the composer. */
export interface SendOptions {
  /** The routing tier the command asks for (default `chat`). */
  readonly tier?: Tier;
  /** The context of a command's message (instead of the composer's chips); shown with the message. */
  readonly attachments?: readonly Attachment[];
  /** The chips the webview showed when the user pressed Send: nothing else is sent. */
  readonly attachmentIds?: readonly string[];
  /** The lines the answer's code replaces (Fix, Refactor, Add Docs). */
  readonly target?: ApplyTarget;
  /** What the answer's code is for instead of Apply (Add Tests: a new file; Generate Commit Message). */
  readonly use?: CodeUse;
  /** The short line the conversation shows for an action's long instruction ("Fix src/math.ts:15"). */
  readonly summary?: string;
  /** "Search the web" was on: OpenRouter's web plugin goes with the request. */
  readonly webSearch?: boolean;
  /** The reasoning effort the command asks for (Explain: low), for models that accept one; else the remembered one. */
  readonly effort?: ReasoningEffort;
}

/** What Explain Route shows for the next message: the plan, its request, each attempt's body as it would be sent. */
export interface NextRoute extends PlannedRequest {
  /** The draft (history + chips) the bodies are built from. */
  readonly body: ChatRequestBody;
  readonly caching?: CachingPlan;
}
