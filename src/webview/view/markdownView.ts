/**
 * The rendered markdown of one answer. While streaming, only the last top-level block is parsed
 * and rendered again; finished blocks keep their DOM (and any selection in them). The final text
 * is rendered once in full, which also resolves link references defined late in the answer.
 */
import { normalize, parseBlocks, renderBlocks, renderMarkdown } from '../markdown';
import { el } from '../dom';
import { decorateCodeBlocks } from './codeBlocks';

interface RenderedBlock {
  readonly key: string;
  readonly offset: number;
  readonly nodes: readonly Node[];
}

export class MarkdownView {
  readonly element = el('div', { className: 'markdown' });
  private source = '';
  private blocks: RenderedBlock[] = [];

  /** Renders the whole text (history, final answer). */
  renderFull(text: string): void {
    this.blocks = [];
    this.source = '';
    const fragment = renderMarkdown(text);
    decorateCodeBlocks(fragment);
    this.element.replaceChildren(fragment);
  }

  /** Renders a text that grew since the last call, re-rendering only what changed. */
  renderStreaming(text: string): void {
    const source = normalize(text);
    if (!source.startsWith(this.source) || (this.blocks.length === 0 && this.element.hasChildNodes())) {
      this.blocks = [];
      this.element.replaceChildren();
    }
    const tail = this.blocks.at(-1);
    const base = tail?.offset ?? 0;
    const fresh = parseBlocks(source.slice(base));
    let next = 0;
    if (tail && fresh[0]?.key === tail.key) {
      next = 1;
    } else if (tail) {
      for (const node of tail.nodes) node.parentNode?.removeChild(node);
      this.blocks.pop();
    }
    for (const block of fresh.slice(next)) {
      const fragment = renderBlocks([block]);
      decorateCodeBlocks(fragment);
      const nodes = Array.from(fragment.childNodes);
      this.element.append(fragment);
      this.blocks.push({ key: block.key, offset: block.offset + base, nodes });
    }
    this.source = source;
  }
}
