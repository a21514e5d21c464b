/**
 * Gets the webview ready to paint a restored chat before the host's `init` arrives. The first
 * answer a page renders costs several times the next one (markdown-it, DOMPurify and the message
 * view run their code for the first time), and the first screen of a restored chat is a few
 * answers: so, while the host reads the chat and posts `init`, one question and one answer of the
 * usual kinds (paragraphs, inline code, emphasis, a list, a link, a table, a fenced code block,
 * the meta line) are rendered once, off the document, and dropped.
 */
import type { ChatMessageView, WebviewToHost } from '../../protocol/messages';
import { el } from '../dom';
import { renderMarkdown } from '../markdown';
import { MessageView } from './messageView';

const SAMPLE_ANSWER = [
  'A **short** answer with `inline code`, *emphasis* and a [link](https://openrouter.ai/docs).',
  '',
  '- one item',
  '- another item',
  '',
  '| a | b |',
  '|:--|--:|',
  '| 1 | 2 |',
  '',
  '```ts',
  'export const answer = 42;',
  '```',
].join('\n');

const SAMPLES: readonly ChatMessageView[] = [
  { id: 'warm-up-q', role: 'user', text: 'A question?', status: 'done', createdAt: 0 },
  {
    id: 'warm-up-a',
    role: 'assistant',
    text: SAMPLE_ANSWER,
    status: 'done',
    createdAt: 0,
    meta: { requestedModel: 'openai/gpt-4o-mini', model: 'openai/gpt-4o-mini', promptTokens: 1, completionTokens: 1 },
  },
];

/**
 * Lays the samples out in a hidden list, as a restored chat's are (deferred, then hydrated),
 * removed in the same task: never painted, never read by a screen reader.
 */
function layOut(): void {
  const post = (_message: WebviewToHost): void => undefined;
  const views = SAMPLES.map((message) => new MessageView(message, post, message.role === 'assistant'));
  const list = el('div', { className: 'messages warm-up', attrs: { 'aria-hidden': 'true' } }, [
    ...views.map((v) => v.element),
  ]);
  document.body.append(list);
  void list.offsetHeight;
  for (const view of views) view.hydrate();
  void list.offsetHeight;
  list.remove();
}

/** The steps, a task each: an `init` that arrives meanwhile is handled between them. */
const STEPS: readonly (() => void)[] = [
  // markdown-it (its link detection compiles on first use) and DOMPurify: most of the cost.
  () => renderMarkdown(SAMPLE_ANSWER),
  // The message views, and the first layout of an answer, its code block, table and meta line.
  layOut,
];

/**
 * Runs the steps from the next task on (the host's `init` cannot come sooner: it answers
 * `ready`), each only while `needed` says the page shows no message yet; then marks
 * `body[data-warmed-up]`.
 */
export function warmUpSoon(needed: () => boolean): void {
  const run = (index: number): void => {
    const step = STEPS[index];
    if (step && needed()) {
      step();
      setTimeout(() => run(index + 1), 0);
    } else document.body.dataset.warmedUp = 'true';
  };
  setTimeout(() => run(0), 0);
}
