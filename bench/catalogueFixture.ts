/**
 * A `/models` response the size of OpenRouter's real one (~400 models, ~1.5 MB): the fake's
 * deterministic catalogue, with each entry filled out the way real entries are (long
 * descriptions, every pricing field, default parameters, per-request limits).
 */
import { generateCatalogue } from '../test/fake-openrouter/catalogue';

const NOTES = [
  'Benchmarks reported by the provider are measured on the public evaluation suites with default sampling.',
  'The context window is shared between the prompt and the completion; long prompts leave less room to answer.',
  'Cached prompt reads are billed at a discount where the provider supports prompt caching.',
  'Image inputs are resized by the provider before they are counted; very large images cost more tokens.',
  'The model may refuse requests that violate the provider policy; such refusals are billed as normal completions.',
];

export function realisticCatalogue(
  models = 400,
  endpointsPerModel = 5,
): { body: string; wire: ReturnType<typeof generateCatalogue> } {
  const wire = generateCatalogue(models, endpointsPerModel);
  const data = wire.models.map((m, i) => {
    const model = m as unknown as Record<string, unknown> & { description?: string; pricing?: Record<string, string> };
    const notes = Array.from({ length: 15 }, (_, k) => NOTES[(i + k) % NOTES.length]).join(' ');
    return {
      ...model,
      description: `${model.description ?? ''}\n\n${notes}`,
      pricing: {
        ...model.pricing,
        request: '0',
        image: '0',
        web_search: '0',
        internal_reasoning: '0',
        input_cache_read: '0.0000000375',
        input_cache_write: '0.00000018',
      },
      default_parameters: { temperature: 0.7, top_p: 1, frequency_penalty: 0 },
      per_request_limits: null,
      expiration_date: null,
    };
  });
  return { body: JSON.stringify({ data }), wire };
}
