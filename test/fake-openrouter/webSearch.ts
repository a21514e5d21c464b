/**
 * The fake's web plugin (`plugins: [{id: "web"}]`): the answer cites numbered sources and streams
 * `url_citation` annotations in both shapes OpenRouter uses (nested, as its docs show, and flat,
 * openapi `URLCitation`) — plus the kinds a client must not trust: a duplicate, a `javascript:`
 * URL and a title with markup. Priced like OpenRouter: $4 per 1000 results, `max_results` (default 5).
 */

/** USD per web result (OpenRouter: $4 per 1000 results). */
export const WEB_RESULT_USD = 0.004;

/** The web plugin of a request, if it asks for one: how many results it pays for. */
export function webPluginOf(body: Readonly<Record<string, unknown>>): { maxResults: number } | undefined {
  const plugins = Array.isArray(body.plugins) ? body.plugins : [];
  const web = plugins.find(
    (p: unknown) =>
      typeof p === 'object' &&
      p !== null &&
      (p as { id?: unknown }).id === 'web' &&
      (p as { enabled?: unknown }).enabled !== false,
  ) as { max_results?: unknown } | undefined;
  const online = typeof body.model === 'string' && body.model.endsWith(':online');
  if (!web && !online) return undefined;
  const max =
    typeof web?.max_results === 'number' && Number.isInteger(web.max_results) && web.max_results > 0
      ? web.max_results
      : 5;
  return { maxResults: max };
}

/** The sentence a searched answer ends with (it cites sources 1 to 3). */
export const WEB_ANSWER_TAIL = '\n\nThe web agrees: see the docs [1], the news [2] and the flat-shaped page [3].';

/** The annotations of a searched answer, as they go on the wire (hostile ones included). */
export function webAnnotations(text: string): unknown[] {
  const at = (needle: string): { start_index: number; end_index: number } => {
    const i = Math.max(0, text.indexOf(needle));
    return { start_index: i, end_index: i + needle.length };
  };
  return [
    {
      type: 'url_citation',
      url_citation: {
        url: 'https://example.com/switchyard/docs',
        title: 'Switchyard docs — Example',
        content: 'Switchyard puts every OpenRouter model behind one chat.',
        ...at('[1]'),
      },
    },
    {
      type: 'url_citation',
      url_citation: {
        url: 'https://example.com/switchyard/docs',
        title: 'Duplicate of the docs',
        content: 'Same page again.',
        ...at('[1]'),
      },
    },
    {
      type: 'url_citation',
      url_citation: {
        url: 'http://news.example.org/item?id=42',
        title: 'News <img src=x onerror=alert(1)> [click](command:workbench.action.terminal.new)',
        content: 'A news item.',
        ...at('[2]'),
      },
    },
    {
      type: 'url_citation',
      url_citation: { url: 'javascript:alert(1)', title: 'Not a web page', content: 'Script.', ...at('[2]') },
    },
    {
      type: 'url_citation',
      url: 'https://flat.example.net/page',
      title: 'Flat-shaped citation',
      content: 'The openapi URLCitation shape.',
      ...at('[3]'),
    },
  ];
}
