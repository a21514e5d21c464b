/**
 * Webview → host: the messages the chat webview sends, validated at run time with zod at the host
 * boundary (the webview is a separate, less trusted process); an invalid message is logged and
 * dropped, never a crash. Part of the one contract, ./messages.ts.
 */
import * as z from 'zod/mini';
import { MAX_IMAGE_DATA_URL } from './images';
import { REASONING_CHOICES } from './reasoning';

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

/** What an `@` mention can attach (see src/vscode/chatView/mentionService.ts). */
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
  /** A restored chat's older messages, the page just before message `before` (answered with `earlierMessages`). */
  z.object({ type: z.literal('loadEarlier'), before: z.string().check(z.minLength(1), z.maxLength(100)) }),
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
