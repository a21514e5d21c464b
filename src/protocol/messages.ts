/**
 * The one contract between the chat webview and the extension host.
 *
 * Webview → host messages are validated at run time with zod at the host boundary (the webview is
 * a separate, less trusted process); an invalid message is logged and dropped, never a crash.
 * Host → webview messages are typed only: the webview imports this file with `import type`, so
 * zod never reaches the webview bundle.
 *
 * Its parts, re-exported here: ./webviewToHost.ts (the validated direction), ./chatViews.ts and
 * ./agentViews.ts (what the host sends the view); this file keeps the host → webview union.
 */
import type { AgentTaskView } from './agentViews';
import type {
  AccountView,
  AttachmentView,
  ChatMessageView,
  ChatMode,
  InstructionFileView,
  MentionItem,
  ModelBadge,
  SlashItem,
} from './chatViews';

export * from './webviewToHost';
export * from './chatViews';
export * from './agentViews';

/** Messages the host sends to the webview. */
export type HostToWebview =
  | {
      readonly type: 'init';
      /** The newest messages (what the first screen needs; src/chat/earlierMessages.ts). */
      readonly messages: readonly ChatMessageView[];
      /** How many older messages were left out: the webview asks for them with `loadEarlier`. */
      readonly earlier?: number;
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
  /** The answer to `loadEarlier`: the messages just before `before`, oldest first; `earlier` older ones are left. */
  | {
      readonly type: 'earlierMessages';
      readonly before: string;
      readonly messages: readonly ChatMessageView[];
      readonly earlier: number;
    }
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
