/**
 * Suggestions remembered by the text around the cursor, with **typed-ahead reuse**: when the user
 * types the first characters of a suggestion, the rest of it is the answer for the new cursor,
 * without a new request. Keys are the end of the prefix and the start of the suffix (enough to
 * tell cursors apart, small enough to keep many).
 */

/** Characters of the prefix's end and the suffix's start that identify a cursor. */
export const KEY_PREFIX_CHARS = 500;
export const KEY_SUFFIX_CHARS = 200;

/** The text around a cursor. `prefix` may be a tail of the text before it; `offset` is absolute. */
export interface CursorText {
  readonly prefix: string;
  readonly suffix: string;
  /** The cursor's offset in the document (characters). */
  readonly offset: number;
}

export interface CachedSuggestion {
  /** Id of the suggestion as first made (typed-ahead continuations keep it). */
  readonly id: string;
  readonly text: string;
}

interface Entry {
  readonly id: string;
  readonly prefixLength: number;
  readonly prefixTail: string;
  readonly suffixHead: string;
  readonly text: string;
}

/**
 * The rest of `text` after the user typed `typed`, when `typed` is a proper start of it; else
 * undefined. Also used for a suggestion still streaming in.
 */
export function typedAhead(text: string, typed: string): string | undefined {
  if (typed.length >= text.length || !text.startsWith(typed)) return undefined;
  return text.slice(typed.length);
}

/**
 * What the user typed since a cursor (`before`), when `now` is the same place with characters
 * added before the cursor only; else undefined.
 */
export function typedSince(
  before: { readonly prefixLength: number; readonly prefixTail: string; readonly suffixHead: string },
  now: CursorText,
): string | undefined {
  const added = now.offset - before.prefixLength;
  if (added < 0 || added > now.prefix.length) return undefined;
  if (now.suffix.slice(0, KEY_SUFFIX_CHARS) !== before.suffixHead) return undefined;
  const head = now.prefix.slice(0, now.prefix.length - added);
  if (!head.endsWith(before.prefixTail)) return undefined;
  return now.prefix.slice(now.prefix.length - added);
}

/** Where a cursor is, in the cache's terms. */
export function cursorKey(at: CursorText): { prefixLength: number; prefixTail: string; suffixHead: string } {
  return {
    prefixLength: at.offset,
    prefixTail: at.prefix.slice(-KEY_PREFIX_CHARS),
    suffixHead: at.suffix.slice(0, KEY_SUFFIX_CHARS),
  };
}

/** A small least-recently-used cache of suggestions. */
export class CompletionCache {
  private entries: Entry[] = [];

  constructor(private readonly size = 64) {}

  /** Remembers the suggestion made at `at`. */
  put(at: CursorText, suggestion: CachedSuggestion): void {
    const key = cursorKey(at);
    this.entries = this.entries.filter(
      (e) =>
        !(e.prefixLength === key.prefixLength && e.prefixTail === key.prefixTail && e.suffixHead === key.suffixHead),
    );
    this.entries.unshift({ ...key, id: suggestion.id, text: suggestion.text });
    if (this.entries.length > this.size) this.entries.length = this.size;
  }

  /**
   * The suggestion for `at`: one made exactly there, or the rest of one made a few characters
   * earlier whose start the user has typed since. Most recent first.
   */
  get(at: CursorText): CachedSuggestion | undefined {
    for (const entry of this.entries) {
      const typed = typedSince(entry, at);
      if (typed === undefined) continue;
      const rest = typed === '' ? entry.text : typedAhead(entry.text, typed);
      if (rest !== undefined) return { id: entry.id, text: rest };
    }
    return undefined;
  }

  clear(): void {
    this.entries = [];
  }

  get length(): number {
    return this.entries.length;
  }
}
