/**
 * Web search sources: the `url_citation` annotations of an answer (OpenRouter's web plugin), made
 * safe to show. They come from the internet: only `http:`/`https:` URLs without credentials are
 * kept (at most {@link MAX_SOURCES}, first occurrence of a URL wins), titles become one inert line.
 * Both shapes are read: OpenAI's nested `{type, url_citation: {url, title}}` (what OpenRouter's
 * docs show) and the flat `{type, url, title}` (openapi `URLCitation`).
 */
import type { SourceLink } from '../protocol/messages';
import { singleLine } from './untrustedText';
import type { WireAnnotation } from './wire';

/** Sources shown under one answer, at most. */
export const MAX_SOURCES = 20;
/** Longest URL kept (characters). */
export const MAX_SOURCE_URL = 2048;
/** Longest title shown (characters). */
const MAX_TITLE = 200;

/** The URL if it is a plain http(s) link (no credentials, not too long), normalised; else undefined. */
export function safeSourceUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_SOURCE_URL) return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password || !url.hostname) return undefined;
  return url.href.length <= MAX_SOURCE_URL ? url.href : undefined;
}

/** Adds the safe sources among `annotations` to `into` (in place, deduplicated by URL). */
export function collectSources(annotations: readonly unknown[], into: SourceLink[]): void {
  for (const raw of annotations) {
    if (into.length >= MAX_SOURCES) return;
    if (typeof raw !== 'object' || raw === null) continue;
    const a = raw as WireAnnotation;
    if (a.type !== undefined && a.type !== 'url_citation') continue;
    const nested = typeof a.url_citation === 'object' && a.url_citation !== null ? a.url_citation : undefined;
    const url = safeSourceUrl(nested?.url ?? a.url);
    if (!url || into.some((s) => s.url === url)) continue;
    const title = singleLine(
      typeof nested?.title === 'string' ? nested.title : typeof a.title === 'string' ? a.title : '',
      MAX_TITLE,
    );
    into.push({ url, title: title || new URL(url).hostname });
  }
}
