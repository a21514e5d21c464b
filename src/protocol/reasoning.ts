/**
 * Reasoning effort names shared by the host, the webview and the wire (zod-free, so the webview may
 * import it). Values are OpenRouter's `ReasoningEffort` (shared/openrouter-openapi.yaml).
 */

/** OpenRouter's `ReasoningEffort` values that set a level (highest first); `none` is "off". */
export const REASONING_EFFORTS = ['max', 'xhigh', 'high', 'medium', 'low', 'minimal'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/**
 * What the user can pick for a reasoning model: `default` (send nothing: the model's own default),
 * `off` (`effort: "none"`, only where the catalogue says reasoning is not mandatory), or a level.
 */
export const REASONING_CHOICES = ['default', 'off', ...REASONING_EFFORTS] as const;
export type ReasoningChoice = (typeof REASONING_CHOICES)[number];

/** How a choice reads in the header and the picker: `Default`, `Off`, `High`, `XHigh`… */
export function reasoningChoiceLabel(choice: ReasoningChoice): string {
  return choice === 'xhigh' ? 'XHigh' : choice.charAt(0).toUpperCase() + choice.slice(1);
}
