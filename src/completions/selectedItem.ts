/**
 * VS Code's suggest list is open with an item selected: VS Code shows ghost text then only when
 * it extends that item — the same range start, the item's text first (its `singleTextEditAugments`).
 * So the engine is asked at the cursor the document would have if the item were accepted, and the
 * answer is shown after the item's text: `cons|` with `console` selected asks after `console` and
 * shows `console.log(…)`. Accepting the item then leaves the document at exactly that cursor, so
 * the suggestion's rest comes from the cache. Pure.
 */
import type { CursorText } from './cache';

/** The suggest list's selected item, as document offsets. */
export interface SelectedItem {
  /** Where the text it replaces starts (the start of the word typed so far). */
  readonly start: number;
  /** Where that text ends (the cursor). */
  readonly end: number;
  /** What it inserts. */
  readonly text: string;
}

/**
 * The cursor text as if `item` were accepted; undefined when no ghost text could extend it (its
 * range does not end at the cursor, reaches before the prefix read, or it inserts several lines —
 * a snippet), so nothing is asked for a suggestion VS Code would drop.
 */
export function acceptedCursor(at: CursorText, item: SelectedItem): CursorText | undefined {
  const typed = item.end - item.start;
  if (item.end !== at.offset || typed < 0 || typed > at.prefix.length) return undefined;
  if (item.text === '' || /[\r\n]/.test(item.text)) return undefined;
  return {
    prefix: at.prefix.slice(0, at.prefix.length - typed) + item.text,
    suffix: at.suffix,
    offset: item.start + item.text.length,
  };
}
