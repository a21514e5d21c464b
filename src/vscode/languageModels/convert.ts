/**
 * VS Code's language-model part classes ⇄ Switchyard's plain parts (src/languageModel/types.ts).
 * `LanguageModelDataPart` and `LanguageModelThinkingPart` are newer than the API version this
 * extension declares: they are looked up at run time and used when VS Code has them.
 */
import * as vscode from 'vscode';
import type { LmErrorView } from '../../languageModel/errors';
import { promptTsxText } from '../../languageModel/promptTsx';
import type { LmInputPart, LmMessage, LmResponsePart, LmToolResultContent } from '../../languageModel/types';

/** The newer part classes, when this VS Code has them. */
interface NewerParts {
  readonly LanguageModelDataPart?: new (
    data: Uint8Array,
    mimeType: string,
  ) => { readonly data: Uint8Array; readonly mimeType: string };
  readonly LanguageModelThinkingPart?: new (
    value: string | string[],
    id?: string,
    metadata?: Record<string, unknown>,
  ) => { readonly value: string | string[]; readonly metadata?: Readonly<Record<string, unknown>> };
}
const newer = vscode as unknown as NewerParts;

/** Where a thinking part keeps the answer's `reasoning_details` (VS Code sends the part back with the history). */
const DETAILS_KEY = 'reasoning_details';

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `LanguageModelChatMessageRole.System` (3) is how VS Code's chat passes its system prompt. */
const SYSTEM_ROLE = 3;

export function toLmMessages(messages: readonly vscode.LanguageModelChatRequestMessage[]): LmMessage[] {
  return messages.map((m) => ({
    role:
      (m.role as number) === SYSTEM_ROLE
        ? 'system'
        : m.role === vscode.LanguageModelChatMessageRole.Assistant
          ? 'assistant'
          : 'user',
    content: m.content.flatMap(toLmPart),
  }));
}

function toLmPart(part: unknown): LmInputPart[] {
  if (part instanceof vscode.LanguageModelTextPart) return [{ kind: 'text', text: part.value }];
  if (part instanceof vscode.LanguageModelToolCallPart)
    return [{ kind: 'toolCall', callId: part.callId, name: part.name, input: part.input }];
  if (part instanceof vscode.LanguageModelToolResultPart)
    return [
      {
        kind: 'toolResult',
        callId: part.callId,
        content: part.content.flatMap(toResultContent),
        ...(isError(part) ? { isError: true } : {}),
      },
    ];
  if (newer.LanguageModelDataPart && part instanceof newer.LanguageModelDataPart)
    return [{ kind: 'data', mimeType: part.mimeType, data: part.data }];
  if (newer.LanguageModelThinkingPart && part instanceof newer.LanguageModelThinkingPart) {
    const details = part.metadata?.[DETAILS_KEY];
    return [
      {
        kind: 'thinking',
        text: Array.isArray(part.value) ? part.value.join('') : part.value,
        ...(Array.isArray(details) ? { details: details.filter(isRecord) } : {}),
      },
    ];
  }
  return [];
}

function isError(part: vscode.LanguageModelToolResultPart): boolean {
  return (part as { isError?: unknown }).isError === true;
}

/** A tool result's content: text, data (images, JSON), and prompt-tsx output reduced to its text. */
function toResultContent(part: unknown): LmToolResultContent[] {
  if (part instanceof vscode.LanguageModelTextPart) return [{ kind: 'text', text: part.value }];
  if (newer.LanguageModelDataPart && part instanceof newer.LanguageModelDataPart)
    return [{ kind: 'data', mimeType: part.mimeType, data: part.data }];
  if (part instanceof vscode.LanguageModelPromptTsxPart) return [{ kind: 'text', text: promptTsxText(part.value) }];
  return [];
}

/** A response part as VS Code's class (thinking only where VS Code has the class: otherwise left out). */
export function toVscodePart(part: LmResponsePart): vscode.LanguageModelResponsePart | undefined {
  switch (part.kind) {
    case 'text':
      return new vscode.LanguageModelTextPart(part.text);
    case 'toolCall':
      return new vscode.LanguageModelToolCallPart(part.callId, part.name, part.input);
    case 'thinking':
      if (!newer.LanguageModelThinkingPart) return undefined;
      return new newer.LanguageModelThinkingPart(
        part.text,
        undefined,
        part.details ? { [DETAILS_KEY]: part.details } : undefined,
      ) as unknown as vscode.LanguageModelResponsePart;
  }
}

/** The error VS Code's chat shows. */
export function toLanguageModelError(view: LmErrorView): Error {
  switch (view.code) {
    case 'NoPermissions':
      return vscode.LanguageModelError.NoPermissions(view.message);
    case 'Blocked':
      return vscode.LanguageModelError.Blocked(view.message);
    case 'NotFound':
      return vscode.LanguageModelError.NotFound(view.message);
    default:
      return new Error(view.message);
  }
}
