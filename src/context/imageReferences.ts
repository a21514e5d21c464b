/**
 * Which stored image files a conversation refers to, and which may go when conversations are
 * deleted. Images are files named by their SHA-256 ({@link STORED_IMAGE_FILE}), so the same picture
 * attached to two chats, or returned by a tool in two tasks, is one file: deleting a conversation
 * deletes only the files nothing else still refers to.
 *
 * A reference is any `file` field holding a stored file's name, wherever it sits in a record: a
 * chat message's `images`, a task card's `tools[].images`, a task transcript's `images` — and
 * whatever shape a later version stores — so a new place that keeps images is counted without a
 * change here. Text (a tool's output, a model's answer) is never read as a reference. Pure.
 */
import { STORED_IMAGE_FILE } from './images';

/** The stored image files `value` (a record, a list of messages, anything JSON-like) refers to. */
export function imageFilesIn(value: unknown, into: Set<string> = new Set()): Set<string> {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length) {
    const next = stack.pop();
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    if (Array.isArray(next)) {
      for (const item of next) if (typeof item === 'object' && item !== null) stack.push(item);
      continue;
    }
    for (const [key, field] of Object.entries(next)) {
      if (key === 'file' && typeof field === 'string' && STORED_IMAGE_FILE.test(field)) into.add(field);
      else if (typeof field === 'object' && field !== null) stack.push(field);
    }
  }
  return into;
}

/**
 * The files `gone` (the records of deleted conversations) refer to that nothing in `kept` (every
 * conversation still stored, the ones on screen, the composer's waiting images) refers to.
 */
export function imageFilesOnlyIn(gone: readonly unknown[], kept: readonly unknown[]): string[] {
  const files = imageFilesIn(gone);
  if (!files.size) return [];
  for (const file of imageFilesIn(kept)) files.delete(file);
  return [...files];
}
