/**
 * Fits attached context into a model's context window: prompt + reserved output must fit.
 * Attachments are considered from the most relevant to the least ({@link relevance}): each is
 * kept whole while it fits; the first one that does not is cut at a line boundary (keeping the
 * start, which holds imports and signatures), and every less relevant one is dropped. So the
 * least relevant context goes first, and the result says what was cut or dropped.
 */
import { relevance, renderAttachment, type Attachment } from './attachment';
import { estimateTokens, isEstimated } from './tokens';

export interface FittedAttachment {
  readonly attachment: Attachment;
  /** The rendered block that will be sent. Empty when dropped. */
  readonly rendered: string;
  readonly tokens: number;
  readonly originalTokens: number;
  readonly truncated: boolean;
  readonly dropped: boolean;
}

export interface FitInput {
  readonly attachments: readonly Attachment[];
  readonly contextLength: number;
  readonly reservedOutput: number;
  /** Tokens already used by the system prompt, history and the typed message. */
  readonly otherTokens: number;
}

/** Headroom kept for message framing and estimate error. */
export const SAFETY_MARGIN = 0.05;

/** Tokens left for attachments. */
export function attachmentBudget(contextLength: number, reservedOutput: number, otherTokens: number): number {
  const usable =
    Math.floor(contextLength * (1 - SAFETY_MARGIN)) - Math.min(reservedOutput, Math.floor(contextLength / 2));
  return Math.max(0, usable - otherTokens);
}

/**
 * Cuts `content` to at most `budget` tokens at a line boundary. Lines are counted one by one
 * (one tokenizer pass over the text), then the kept prefix is checked as a whole, since BPE can
 * merge a line break with the next line's indentation.
 */
export function truncateToTokens(content: string, budget: number): string {
  if (budget <= 0) return '';
  const total = estimateTokens(content);
  if (total <= budget) return content;
  // A long text is estimated, not counted: cut it by its density instead of line by line, which
  // would tokenize most of it (bounded time on the extension host; see tokens.ts).
  if (isEstimated(content)) return cutByDensity(content, budget, total);
  const lines = content.split('\n');
  let used = 0;
  let keep = 0;
  for (const line of lines) {
    const cost = estimateTokens(`${line}\n`);
    if (used + cost > budget) break;
    used += cost;
    keep++;
  }
  while (keep > 0 && estimateTokens(lines.slice(0, keep).join('\n')) > budget)
    keep -= Math.max(1, Math.ceil(keep / 50));
  if (keep > 0) return lines.slice(0, keep).join('\n');
  // Not even the first line fits (minified code, lock files): cut it by characters.
  return longestPrefixWithin(lines[0] ?? '', budget);
}

/**
 * A prefix of a long text of about `budget` tokens, from its token density, ending at a line break
 * when there is one in its last quarter; shrunk until its own estimate fits (a few steps).
 */
function cutByDensity(content: string, budget: number, total: number): string {
  let chars = Math.floor((content.length * budget * 0.95) / total);
  for (let step = 0; step < 8 && chars > 0; step++) {
    let cut = content.slice(0, chars);
    const newline = cut.lastIndexOf('\n');
    if (newline > chars * 0.75) cut = cut.slice(0, newline);
    if (estimateTokens(cut) <= budget) return cut;
    chars = Math.floor(chars * 0.9);
  }
  return chars > 0 && !isEstimated(content.slice(0, chars)) ? longestPrefixWithin(content.slice(0, chars), budget) : '';
}

/** The longest prefix of `text` estimated at no more than `budget` tokens (binary search). */
function longestPrefixWithin(text: string, budget: number): string {
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (estimateTokens(text.slice(0, mid)) <= budget) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo);
}

/** The fitted attachments, in the order given (the fitting itself goes by relevance). */
export function fitAttachments(input: FitInput): FittedAttachment[] {
  let remaining = attachmentBudget(input.contextLength, input.reservedOutput, input.otherTokens);
  const order = input.attachments.map((attachment, index) => ({ attachment, index }));
  // Stable: equally relevant attachments keep the order they were attached in.
  order.sort((a, b) => relevance(b.attachment) - relevance(a.attachment) || a.index - b.index);
  const out: FittedAttachment[] = new Array<FittedAttachment>(input.attachments.length);
  // Once something is cut or dropped, everything less relevant is dropped, never sent whole.
  let full = false;
  for (const { attachment, index } of order) {
    const fitted = full ? dropped(attachment) : fitOne(attachment);
    if (fitted.truncated || fitted.dropped) full = true;
    out[index] = fitted;
  }
  return out;

  function dropped(attachment: Attachment): FittedAttachment {
    return {
      attachment,
      rendered: '',
      tokens: 0,
      originalTokens: estimateTokens(renderAttachment(attachment)),
      truncated: false,
      dropped: true,
    };
  }

  function fitOne(attachment: Attachment): FittedAttachment {
    const full = renderAttachment(attachment);
    const originalTokens = estimateTokens(full);
    if (originalTokens <= remaining) {
      remaining -= originalTokens;
      return { attachment, rendered: full, tokens: originalTokens, originalTokens, truncated: false, dropped: false };
    }
    const frame = estimateTokens(renderAttachment(attachment, '', true));
    const cut = truncateToTokens(attachment.content, remaining - frame);
    if (!cut.trim()) {
      return { attachment, rendered: '', tokens: 0, originalTokens, truncated: true, dropped: true };
    }
    const rendered = renderAttachment(attachment, cut, true);
    const tokens = estimateTokens(rendered);
    if (tokens > remaining) {
      return { attachment, rendered: '', tokens: 0, originalTokens, truncated: true, dropped: true };
    }
    remaining -= tokens;
    return { attachment, rendered, tokens, originalTokens, truncated: true, dropped: false };
  }
}

/** What was dropped or cut, in words, for the user ("README.md was left out: …"). */
export function fitReport(fitted: readonly FittedAttachment[], label: (a: Attachment) => string): string[] {
  return fitted.flatMap((f) => {
    if (f.dropped)
      return [
        `${label(f.attachment)} was not sent: it did not fit the model's context window (about ${f.originalTokens} tokens); less relevant context is dropped first.`,
      ];
    if (f.truncated)
      return [
        `${label(f.attachment)} was cut to ${f.tokens} of ${f.originalTokens} tokens to fit the model's context window.`,
      ];
    return [];
  });
}
