/**
 * The numbered web search sources under an answer (`ol.sources`): each a link button that asks
 * the host to open the URL with VS Code's external opener (`openSource`; the host opens http/https
 * only). Titles and URLs come from the internet: they are text, never markup.
 */
import type { SourceLink, WebviewToHost } from '../../protocol/messages';
import { el } from '../dom';

/** The list, or undefined when the answer has no sources. */
export function sourceList(
  sources: readonly SourceLink[] | undefined,
  post: (message: WebviewToHost) => void,
): HTMLElement | undefined {
  if (!sources?.length) return undefined;
  const items = sources.map((source, i) => {
    const link = el('a', {
      className: 'source-link',
      text: source.title,
      attrs: { href: '#', title: source.url, 'data-url': source.url },
    });
    link.addEventListener('click', (event) => {
      event.preventDefault();
      post({ type: 'openSource', url: source.url });
    });
    return el('li', { className: 'source' }, [
      el('span', { className: 'source-number', text: `[${i + 1}]` }),
      link,
      el('span', { className: 'source-host', text: hostOf(source.url) }),
    ]);
  });
  return el('div', { className: 'sources' }, [
    el('div', { className: 'sources-title', text: 'Sources' }),
    el('ol', { className: 'source-list', attrs: { 'aria-label': 'Web sources' } }, items),
  ]);
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
