/**
 * VS Code's language-model messages and parts (the Language Model Chat Provider API) as plain
 * data: the adapter (src/vscode/languageModels/) turns VS Code's part classes into these and back,
 * so the conversion to and from OpenRouter's wire is pure and unit-tested here.
 */

/** `LanguageModelChatMessageRole`: User = 1, Assistant = 2, System = 3 (VS Code's chat sends its system prompt as 3). */
export type LmRole = 'user' | 'assistant' | 'system';

/** One part of a message's content, as VS Code passes it to a provider. */
export type LmInputPart =
  | { readonly kind: 'text'; readonly text: string }
  /** `LanguageModelDataPart`: an image (`image/png`…), or other data (JSON, text, VS Code's cache hints). */
  | { readonly kind: 'data'; readonly mimeType: string; readonly data: Uint8Array }
  | { readonly kind: 'toolCall'; readonly callId: string; readonly name: string; readonly input: unknown }
  /** A tool's result: its content already reduced to text and images. */
  | {
      readonly kind: 'toolResult';
      readonly callId: string;
      readonly content: readonly LmToolResultContent[];
      readonly isError?: boolean;
    }
  /**
   * `LanguageModelThinkingPart` of an earlier answer: its text is not sent back; its
   * `reasoning_details` (kept in the part's metadata) are, verbatim, as providers require.
   */
  | {
      readonly kind: 'thinking';
      readonly text: string;
      readonly details?: readonly Readonly<Record<string, unknown>>[];
    };

/** What a tool result carries (text, or an image as data). */
export type LmToolResultContent =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'data'; readonly mimeType: string; readonly data: Uint8Array };

export interface LmMessage {
  readonly role: LmRole;
  readonly content: readonly LmInputPart[];
}

/** `LanguageModelChatTool`: a function the model may call. */
export interface LmTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema?: object;
}

/** `LanguageModelChatToolMode`: Auto = 1, Required = 2. */
export type LmToolMode = 'auto' | 'required';

/** A part of the answer, reported to VS Code as it streams (tool calls once each call is complete). */
export type LmResponsePart =
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind: 'thinking';
      readonly text: string;
      readonly details?: readonly Readonly<Record<string, unknown>>[];
    }
  | { readonly kind: 'toolCall'; readonly callId: string; readonly name: string; readonly input: object };
