/**
 * The chat header's model: its name, context length, fallbacks and, for a model that thinks, the
 * effort control with the choice remembered for it. Pure.
 */
import { AUTO_BY_TASK } from '../config/defaults';
import { reasoningChoices, type ReasoningChoice } from '../openrouter/reasoning';
import type { ModelBadge } from '../protocol/messages';
import type { ConversationEnv } from '../turn/env';

export type BadgeEnv = Pick<ConversationEnv, 'settings' | 'modelInfo' | 'reasoningChoice'>;

export function modelBadge(env: BadgeEnv): ModelBadge {
  const { model, fallbackModels } = env.settings();
  if (model === AUTO_BY_TASK) return { id: model, name: 'Auto by task', fallbacks: fallbackModels };
  const info = env.modelInfo(model);
  const choices = reasoningChoices(info);
  const reasoning = choices.length ? { reasoning: { choices, current: rememberedChoice(env, model, choices) } } : {};
  return {
    id: model,
    name: info?.name ?? model,
    ...(info ? { contextLength: info.contextLength } : {}),
    fallbacks: fallbackModels,
    ...reasoning,
  };
}

/** The remembered effort of a model, when it still offers it; else `default`. */
function rememberedChoice(env: BadgeEnv, model: string, choices: readonly ReasoningChoice[]): ReasoningChoice {
  const remembered = env.reasoningChoice?.(model);
  return remembered && choices.includes(remembered) ? remembered : 'default';
}
