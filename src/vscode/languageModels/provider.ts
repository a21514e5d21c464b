/**
 * Switchyard as a language model provider for VS Code's own chat (vendor `switchyard`): the models
 * it offers, each request sent through Switchyard's router (src/languageModel/send.ts), streamed
 * text, thinking and tool calls reported back, Stop (the cancellation token) aborting the request
 * as Switchyard's own Stop does, and failures as the API's errors.
 */
import * as vscode from 'vscode';
import { lmErrorView } from '../../languageModel/errors';
import { languageModelEntries, targetOf, type LmModelEntry, type ModelListInput } from '../../languageModel/models';
import type { LanguageModelSender, LmHandlers } from '../../languageModel/send';
import { estimateTokens } from '../../context/tokens';
import { messageTokens } from '../../languageModel/tokenCount';
import { toLanguageModelError, toLmMessages, toVscodePart } from './convert';

/** The model information VS Code 1.139 reads beyond the 1.104 API (`isUserSelectable`: shown in the model picker). */
type ModelInformation = vscode.LanguageModelChatInformation & { readonly isUserSelectable?: boolean };

export interface ProviderDeps {
  readonly enabled: () => boolean;
  readonly models: () => ModelListInput;
  /** Built on the first request (not at activation). */
  readonly sender: () => LanguageModelSender;
  readonly handlers: Pick<LmHandlers, 'planned' | 'spent'>;
  readonly onDidChange: vscode.Event<void>;
  readonly log: { info(message: string): void; warn(message: string): void };
}

export class SwitchyardChatProvider implements vscode.LanguageModelChatProvider<ModelInformation> {
  readonly onDidChangeLanguageModelChatInformation: vscode.Event<void>;

  constructor(private readonly deps: ProviderDeps) {
    this.onDidChangeLanguageModelChatInformation = deps.onDidChange;
  }

  provideLanguageModelChatInformation(): ModelInformation[] {
    if (!this.deps.enabled()) return [];
    return languageModelEntries(this.deps.models()).map(toInformation);
  }

  async provideLanguageModelChatResponse(
    model: ModelInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const target = targetOf(model.id);
    if (!target || !this.deps.enabled())
      throw vscode.LanguageModelError.NotFound(
        `Switchyard does not offer "${model.id}" (any more): pick another model.`,
      );
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    if (token.isCancellationRequested) controller.abort();
    try {
      const tools = (options.tools ?? []).map((t) => ({
        name: t.name,
        description: t.description,
        ...(t.inputSchema ? { inputSchema: t.inputSchema } : {}),
      }));
      const toolMode = options.toolMode === vscode.LanguageModelChatToolMode.Required ? 'required' : 'auto';
      await this.deps.sender().send(
        { target, messages: toLmMessages(messages), tools, toolMode },
        {
          ...this.deps.handlers,
          report: (part) => {
            const converted = toVscodePart(part);
            if (converted && !token.isCancellationRequested) progress.report(converted);
          },
        },
        controller.signal,
      );
    } catch (error) {
      const view = lmErrorView(error);
      if (view.cancelled || token.isCancellationRequested) {
        this.deps.log.info('VS Code Chat request stopped');
        return;
      }
      this.deps.log.warn(`VS Code Chat request failed: ${view.message}`);
      throw toLanguageModelError(view);
    } finally {
      cancel.dispose();
    }
  }

  async provideTokenCount(
    _model: ModelInformation,
    text: string | vscode.LanguageModelChatRequestMessage,
  ): Promise<number> {
    if (typeof text === 'string') return estimateTokens(text);
    return toLmMessages([text]).reduce((n, message) => n + messageTokens(message), 0);
  }
}

function toInformation(entry: LmModelEntry): ModelInformation {
  return {
    ...entry,
    capabilities: { imageInput: entry.capabilities.imageInput, toolCalling: entry.capabilities.toolCalling },
    isUserSelectable: true,
  };
}
