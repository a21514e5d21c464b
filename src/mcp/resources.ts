/**
 * An MCP resource attached with `@`: what `resources/read` returned, as an attachment. Text only:
 * binary contents (images, blobs) are left out, and a resource with nothing but binary contents is
 * refused with the reason. The text is the server's (untrusted): it is fenced, redacted and fitted
 * by the real tokenizer like a file (src/context/attachment.ts, src/context/fit.ts). Pure.
 */
import { shownToModel } from '../protocol/invisibleText';
import type { Attachment } from '../context/attachment';

/** One entry of `resources/read`'s `contents`: `text` is absent for a binary (`blob`) entry. */
export interface ResourceContent {
  readonly uri: string;
  readonly mimeType?: string;
  readonly text?: string;
}

/** Characters of a resource kept before fitting (the fitting cuts it further to the model's context). */
export const MAX_RESOURCE_CHARS = 400_000;

const LANGUAGES: Readonly<Record<string, string>> = {
  'text/markdown': 'markdown',
  'application/json': 'json',
  'text/html': 'html',
  'text/x-python': 'python',
  'text/javascript': 'javascript',
  'application/javascript': 'javascript',
  'text/typescript': 'typescript',
  'application/yaml': 'yaml',
  'text/yaml': 'yaml',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'text/csv': 'csv',
};

const languageOf = (mime: string | undefined): string => (mime && LANGUAGES[mime.split(';')[0]!.trim()]) || 'text';

export type ResourceAttached =
  | { readonly ok: true; readonly attachment: Attachment; readonly note?: string }
  | { readonly ok: false; readonly reason: string };

/** The attachment (with the given `id`) of `server`'s resource `uri`, or why it cannot be attached. */
export function resourceAttachment(
  id: string,
  server: string,
  uri: string,
  contents: readonly ResourceContent[],
): ResourceAttached {
  const texts = contents.filter((c) => typeof c.text === 'string');
  const binary = contents.filter((c) => typeof c.text !== 'string');
  const what = `${server}: ${uri}`;
  if (!texts.length)
    return {
      ok: false,
      reason: binary.length
        ? `${what} is binary (${binary[0]!.mimeType ?? 'no type'}): only text resources can be attached.`
        : `${what} is empty.`,
    };
  // What its reader could not see (tag characters, bidi, zero-width) is written out for the model.
  let content = shownToModel(texts.map((c) => c.text!).join('\n\n'));
  const cut = content.length > MAX_RESOURCE_CHARS;
  if (cut) content = content.slice(0, MAX_RESOURCE_CHARS);
  if (!content.trim()) return { ok: false, reason: `${what} is empty.` };
  const notes = [
    ...(binary.length ? [`${binary.length} binary part(s) of ${what} left out: only text is attached.`] : []),
    ...(cut ? [`${what} was cut to its first ${MAX_RESOURCE_CHARS} characters.`] : []),
  ];
  return {
    ok: true,
    attachment: {
      id,
      kind: 'resource',
      source: 'mention',
      path: what,
      language: languageOf(texts[0]!.mimeType),
      content,
    },
    ...(notes.length ? { note: notes.join(' ') } : {}),
  };
}
