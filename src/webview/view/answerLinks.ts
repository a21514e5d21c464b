/**
 * Clicks (and Enter) on the links of answers (`a.answer-link`, made by src/webview/markdown.ts):
 * the host is asked to open the URL (`openLink`, with the link's text, so it can tell whether
 * the text says where the link goes and ask when it does not). Nothing opens from the webview.
 */
import type { WebviewToHost } from '../../protocol/messages';

export function handleAnswerLinks(root: HTMLElement, post: (message: WebviewToHost) => void): void {
  const linkOf = (event: Event): HTMLElement | null =>
    event.target instanceof Element ? event.target.closest<HTMLElement>('a.answer-link') : null;
  const open = (link: HTMLElement): void => {
    const url = link.dataset.url ?? '';
    if (url) post({ type: 'openLink', url: url.slice(0, 2048), text: (link.textContent ?? '').slice(0, 500) });
  };
  root.addEventListener('click', (event) => {
    const link = linkOf(event);
    if (!link) return;
    event.preventDefault();
    open(link);
  });
  root.addEventListener('keydown', (event) => {
    const link = linkOf(event);
    if (!link || event.key !== 'Enter') return;
    event.preventDefault();
    open(link);
  });
}
