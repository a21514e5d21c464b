/**
 * Fits attached context into a model's context window: prompt + reserved output must fit.
 * Attachments are kept whole while they fit; the last one that does not is cut at a line
 * boundary (keeping the start, which holds imports and signatures), and later ones are dropped.
 */
import { renderAttachment, type Attachment } from './attachment';
import { estimateTokens } from './tokens';

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
  const usable = Math.floor(contextLength * (1 - SAFETY_MARGIN)) - Math.min(reservedOutput, Math.floor(contextLength / 2));
  return Math.max(0, usable - otherTokens);
}

/** Cuts `content` to at most `budget` tokens at a line boundary. */
export function truncateToTokens(content: string, budget: number): string {
  if (budget <= 0) return '';
  if (estimateTokens(content) <= budget) return content;
  const lines = content.split('\n');
  let lo = 0;
  let hi = lines.length;
  // Binary search on the number of whole lines that fit.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (estimateTokens(lines.slice(0, mid).join('\n')) <= budget) lo = mid;
    else hi = mid - 1;
  }
  if (lo > 0) return lines.slice(0, lo).join('\n');
  // Not even the first line fits (minified code, lock files): cut it by characters.
  return longestPrefixWithin(lines[0] ?? '', budget);
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

export function fitAttachments(input: FitInput): FittedAttachment[] {
  let remaining = attachmentBudget(input.contextLength, input.reservedOutput, input.otherTokens);
  return input.attachments.map((attachment) => {
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
  });
}
