/** `switchyard.completions.*` as the code uses them (a unit test checks package.json's defaults). */
export interface CompletionSettings {
  readonly enabled: boolean;
  /** Per-language on/off (`{"markdown": false}`); a language not listed is on. */
  readonly languages: Readonly<Record<string, boolean>>;
  /** A model id, or empty for the `complete` tier (else the fast, cheap default). */
  readonly model: string;
  /** Milliseconds after a keystroke before asking (the adaptive debounce's floor). */
  readonly debounceMs: number;
  /** Most lines of a multi-line suggestion. */
  readonly maxLines: number;
  /** USD per local day. */
  readonly dailyBudget: number;
}

export const COMPLETION_DEFAULTS: CompletionSettings = {
  enabled: false,
  languages: {},
  model: '',
  debounceMs: 200,
  maxLines: 6,
  dailyBudget: 0.25,
};

/**
 * The completion model when neither `switchyard.completions.model` nor the `complete` tier names
 * one: the first of a short list of fast, cheap models good at code that the catalogue has.
 * Prices (USD per million tokens, input/output, OpenRouter, November 2026): Codestral 2508
 * 0.30/0.90 (trained for fill-in-the-middle), GPT-4.1 nano 0.10/0.40, GPT-4o mini 0.15/0.60,
 * Gemini 2.5 Flash Lite 0.10/0.40.
 */
export const FAST_CHEAP_MODELS = [
  'mistralai/codestral-2508',
  'openai/gpt-4.1-nano',
  'openai/gpt-4o-mini',
  'google/gemini-2.5-flash-lite',
] as const;

/** The default completion model given which ids the catalogue has (the list's third without one). */
export function defaultCompletionModel(has: (id: string) => boolean): string {
  return FAST_CHEAP_MODELS.find(has) ?? 'openai/gpt-4o-mini';
}

/** Prompt tokens of a typical completion request (fitted prefix + suffix + framing), for cost estimates. */
export const TYPICAL_PROMPT_TOKENS = 2100;

/** Worst-case USD of one typical request at per-token prices. */
export function typicalRequestUsd(promptPrice: number, completionPrice: number, maxTokens: number): number {
  return TYPICAL_PROMPT_TOKENS * promptPrice + maxTokens * completionPrice;
}
