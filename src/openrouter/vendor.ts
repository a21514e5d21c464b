/**
 * The vendor of an OpenRouter model id — `anthropic` for `anthropic/claude-sonnet-4`,
 * `anthropic/claude-3.7-sonnet:thinking` and the `~anthropic/claude-sonnet-latest` alias (a `~`
 * id always redirects to its family's latest model) — which decides the rules a request must
 * follow for it: cache breakpoints, tool-call ids, signed reasoning, assistant prefill. Pure.
 */

/** The part of `model` before its `/`, without an alias's `~`; '' for an id without a vendor. */
export function modelVendor(model: string): string {
  const slash = model.indexOf('/');
  return slash < 0 ? '' : model.slice(0, slash).replace(/^~/, '');
}
