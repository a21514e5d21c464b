/** What the confined-write tests share: a link swapped in as a racing process does, and the checks of what is left. */
import assert from 'node:assert/strict';
import { readdir, readFile, rm, symlink } from 'node:fs/promises';

export const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
export const read = (p: string): Promise<string> => readFile(p, 'utf8');

/** Replaces `p` by a link to `target` (what a racing process does). */
export async function swapForLink(p: string, target: string): Promise<void> {
  await rm(p, { force: true });
  await symlink(target, p);
}

/** No temporary file (nor an old file kept aside) is left in `folder` or below it. */
export async function noTemp(folder: string): Promise<void> {
  assert.deepEqual(
    (await readdir(folder, { recursive: true })).filter((n) => n.includes('switchyard')),
    [],
  );
}
