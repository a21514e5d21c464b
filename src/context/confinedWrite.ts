/**
 * The agent's writes, creates and deletes, done so that the final write cannot follow a link put
 * there after the path was checked (by a command the agent ran earlier, a watcher, a build) —
 * the counterpart of `readOpenedInside` (confinedRead.ts). Each file's folder is held open from
 * the workspace root without following a link (heldFolder.ts). The new content goes to a temporary
 * file created (never followed) in that folder and is renamed over the file: a rename replaces a
 * name and never writes through a link, so a link swapped in at the last moment is replaced, not
 * written through; one seen just before the rename is refused ("… is a link now"). A delete moves
 * the name aside through the open folder (a rename moves a link, never what it points at).
 *
 * Several files are written all or nothing: every temporary file is prepared first (all checks,
 * all contents written), then they are renamed one by one, each old file kept aside under another
 * name (a hard link; moved aside where hard links fail) until all are in place. When any step
 * fails, the temporary files and the folders made for them are removed and every file already
 * renamed over or deleted is put back; what could not be put back is named in the result.
 * Pure: `node:fs` and `node:path` only.
 */
import { constants } from 'node:fs';
import { link, open, realpath, rename, rmdir, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { checkedKind, holdFolder, lastLook, Refused, release, type ConfinedWriteWhy } from './heldFolder';
import type { Folder, MadeFolder } from './heldFolder';
import { isInside } from './workspacePath';

export type { ConfinedWriteWhy } from './heldFolder';

export type ConfinedWrite =
  { readonly ok: true } | { readonly ok: false; readonly why: ConfinedWriteWhy; readonly code?: string };
export type ConfinedWriteFailure = Exclude<ConfinedWrite, { ok: true }>;

/** One file of an apply: its new content, or null to delete it. */
export interface WriteEntry {
  readonly absolute: string;
  readonly bytes: Uint8Array | null;
}

/**
 * What {@link writeAllInside} did: everything, or nothing — `failed` is the entry that failed and
 * why; `kept` the entries whose change could not be undone (the error code of putting it back).
 */
export type ConfinedApply =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly failed: number;
      readonly result: ConfinedWriteFailure;
      readonly kept: readonly { readonly index: number; readonly code: string }[];
    };

/** The moments between the steps (tests swap a link in or fail a step there; nothing else uses them). */
export interface WriteHooks {
  /** Before an entry's folder is held and its temporary file written. */
  beforePrepare?(absolute: string): Promise<void>;
  /** After every entry's temporary file is written, before this entry's last look at its name. */
  beforeCommit?(absolute: string): Promise<void>;
  /** After that last look, just before the rename (or the delete). */
  beforeRename?(absolute: string): Promise<void>;
}

/** Kept at the start of a file that had it (the editor keeps a file's encoding too; the agent's text never carries it). */
const UTF8_BOM = new Uint8Array([0xef, 0xbb, 0xbf]);
const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
const ignore = (): undefined => undefined;

/** One entry on its way: its folder held, its new content in `temp` until renamed, the old file `aside`. */
interface Step {
  readonly entry: WriteEntry;
  readonly made: MadeFolder[];
  folder?: Folder;
  name?: string;
  temp?: string;
  aside?: string;
  /** The name holds the new content now (or is deleted). */
  done?: boolean;
}

/**
 * Writes `bytes` to `absolute` (lexically inside one of `roots`), creating missing folders, or
 * deletes it when `bytes` is null (nothing to delete is fine); never through a link. A replaced file keeps its mode and its UTF-8 BOM. Never throws.
 */
export async function writeInside(
  absolute: string,
  roots: readonly string[],
  bytes: Uint8Array | null,
  hooks: WriteHooks = {},
): Promise<ConfinedWrite> {
  const applied = await writeAllInside([{ absolute, bytes }], roots, hooks);
  return applied.ok ? applied : applied.result;
}

/** {@link writeInside} for several files, all or nothing (see the top of this file). Never throws. */
export async function writeAllInside(
  entries: readonly WriteEntry[],
  roots: readonly string[],
  hooks: WriteHooks = {},
): Promise<ConfinedApply> {
  // The folders as given and as resolved: a path may be written under either (a workspace opened through a link).
  const realRoots = [...roots, ...(await Promise.all(roots.map((r) => realpath(r).catch(() => r))))];
  const steps: Step[] = [];
  let at = 0;
  try {
    for (; at < entries.length; at++) {
      await hooks.beforePrepare?.(entries[at]!.absolute);
      steps.push({ entry: entries[at]!, made: [] });
      await prepare(steps[at]!, realRoots);
    }
    for (at = 0; at < steps.length; at++) await commit(steps[at]!, realRoots, hooks);
    for (const { folder, aside } of steps) if (folder && aside) await unlink(folder.at(aside)).catch(ignore);
    return { ok: true };
  } catch (error) {
    const kept = await undo(steps);
    return { ok: false, failed: at, result: failure(error), kept };
  } finally {
    for (const step of steps) await release(step.folder, step.made);
  }
}

/** Holds the entry's folder (made where missing for a write), checks its name, and writes the temporary file. */
async function prepare(step: Step, realRoots: readonly string[]): Promise<void> {
  const { absolute, bytes } = step.entry;
  const root = realRoots.filter((r) => isInside(absolute, r)).sort((a, b) => b.length - a.length)[0];
  const parts = root === undefined ? [] : path.relative(root, absolute).split(path.sep).filter(Boolean);
  const name = parts.pop();
  if (root === undefined || name === undefined) throw new Refused('outside');
  step.name = name;
  step.folder = await holdFolder(root, parts, bytes === null ? undefined : step.made);
  if (!step.folder) return; // a delete below a folder that is not there
  const before = await checkedKind(step.folder.at(name));
  if (bytes !== null) step.temp = await writeTemp(step.folder, name, bytes, before.mode);
}

/** `bytes` in a new temporary file of `folder` (with the replaced file's mode and BOM); its name. */
async function writeTemp(folder: Folder, name: string, bytes: Uint8Array, mode: number | undefined): Promise<string> {
  const temp = besideName(name, 'tmp');
  const bom = mode !== undefined && !hasBom(bytes) && (await fileHasBom(folder.at(name)));
  const file = await open(folder.at(temp), TEMP_FLAGS, mode ?? 0o666);
  try {
    if (bom) await file.write(UTF8_BOM);
    await file.writeFile(bytes);
    if (mode !== undefined) await file.chmod(mode);
    await file.datasync();
    return temp;
  } catch (error) {
    await unlink(folder.at(temp)).catch(ignore);
    throw error;
  } finally {
    await file.close().catch(ignore);
  }
}

/** Renames the entry's temporary file over its name (or deletes it) unless a link is there now; the old file kept aside. */
async function commit(step: Step, realRoots: readonly string[], hooks: WriteHooks): Promise<void> {
  const { folder, name, temp } = step;
  if (!folder || name === undefined) return;
  await hooks.beforeCommit?.(step.entry.absolute);
  const now = await lastLook(folder, name, realRoots);
  if (temp === undefined && now.missing) return;
  await hooks.beforeRename?.(step.entry.absolute);
  if (temp === undefined) {
    // A delete: a link swapped in at the very end is moved aside and removed, its target kept.
    step.aside = await moveAside(folder, name);
    step.done = step.aside !== undefined;
    return;
  }
  step.aside = await keepAside(folder, name);
  await rename(folder.at(temp), folder.at(name));
  step.temp = undefined;
  step.done = true;
}

/** A second name for the file at `name` (a hard link; the file moved aside where that fails); undefined when none is there. */
async function keepAside(folder: Folder, name: string): Promise<string | undefined> {
  const aside = besideName(name, 'old');
  return link(folder.at(name), folder.at(aside)).then(
    () => aside,
    (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : moveAside(folder, name)),
  );
}

/** Moves the file at `name` to another name in its folder; undefined when none is there. */
async function moveAside(folder: Folder, name: string): Promise<string | undefined> {
  const aside = besideName(name, 'old');
  return rename(folder.at(name), folder.at(aside)).then(
    () => aside,
    (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)),
  );
}

/** Undoes every step, the last first; the entries whose change stays, with the error of putting them back. */
async function undo(steps: readonly Step[]): Promise<{ index: number; code: string }[]> {
  const kept: { index: number; code: string }[] = [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const code = await undoStep(steps[i]!);
    if (code) kept.unshift({ index: i, code });
  }
  return kept;
}

/** Removes the step's temporary file and made folders and puts its old file back; an error code if that failed. */
async function undoStep(step: Step): Promise<string | undefined> {
  const { folder, name, temp, aside } = step;
  let code: string | undefined;
  if (folder && name !== undefined) {
    if (temp !== undefined) await unlink(folder.at(temp)).catch(ignore);
    // The old file renamed back over the new one (a no-op when the new one never came: the aside is then removed).
    const back =
      aside !== undefined
        ? rename(folder.at(aside), folder.at(name)).then(() => unlink(folder.at(aside)).catch(ignore))
        : step.done
          ? unlink(folder.at(name))
          : undefined;
    code = await back?.then(ignore, (e: NodeJS.ErrnoException) => e.code ?? 'error');
  }
  for (const m of [...step.made].reverse()) await rmdir(m.in.at(m.name)).catch(ignore);
  return code;
}

function failure(error: unknown): ConfinedWriteFailure {
  if (error instanceof Refused) return { ok: false, why: error.why, ...(error.code ? { code: error.code } : {}) };
  const code = (error as NodeJS.ErrnoException).code;
  return { ok: false, why: code === 'EISDIR' ? 'folder' : 'failed', ...(code ? { code } : {}) };
}

/** A hidden name beside `name` for its new content or its old file (shortened: a name as long as the file system allows leaves no room for the suffix). */
function besideName(name: string, what: 'tmp' | 'old'): string {
  const random = Math.random().toString(36).slice(2, 10);
  return `.${[...name].slice(0, 40).join('')}.switchyard-${process.pid}-${random}.${what}`;
}

/** Whether `bytes` begin with a UTF-8 BOM. */
function hasBom(bytes: Uint8Array): boolean {
  return UTF8_BOM.every((b, i) => bytes[i] === b);
}

/** Whether the file at `p` begins with a UTF-8 BOM (read without following a link or waiting on a pipe). */
async function fileHasBom(p: string): Promise<boolean> {
  const head = new Uint8Array(3);
  try {
    const handle = await open(p, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    const { bytesRead } = await handle.read(head, 0, 3, 0).finally(() => handle.close());
    return bytesRead === 3 && hasBom(head);
  } catch {
    return false;
  }
}

/** One file of an apply as the workspace names it, and whether it was a delete. */
export interface AppliedFile {
  readonly rel: string;
  readonly deleting: boolean;
}

/** What the model and the card read when {@link writeInside} wrote nothing (`rel`: the path as the workspace names it). */
export function confinedWriteError(rel: string, result: ConfinedWriteFailure, deleting: boolean): string {
  const not = deleting ? 'not deleted' : 'not written';
  switch (result.why) {
    case 'link':
      return `${rel} is a link now (or is below one); ${not}: the agent never writes through a link`;
    case 'outside':
      return `${rel} is outside the workspace now (its folder was moved); ${not}`;
    case 'folder':
      return `${rel} is a folder; ${not}`;
    default:
      return `${rel} could not be ${deleting ? 'deleted' : 'written'} (${result.code ?? 'error'})`;
  }
}

/** What they read when {@link writeAllInside} applied nothing: the failed file's error, then the other files left as they were, then any changed and not put back. */
export function confinedApplyError(
  files: readonly AppliedFile[],
  result: Exclude<ConfinedApply, { ok: true }>,
): string {
  const failed = files[result.failed];
  const first = failed ? confinedWriteError(failed.rel, result.result, failed.deleting) : 'nothing was written';
  const kept = new Map(result.kept.map((k) => [k.index, k.code]));
  const left = files
    .filter((_, i) => i !== result.failed && !kept.has(i))
    .map((f) => `${f.rel} ${f.deleting ? 'not deleted' : 'not written'}`);
  const stayed = files.flatMap((f, i) =>
    kept.has(i)
      ? [`${f.rel} was ${f.deleting ? 'deleted' : 'written'} and could not be put back (${kept.get(i)})`]
      : [],
  );
  const rest = left.length ? [`the others were left as they were: ${left.join(', ')}`] : [];
  return [first, ...rest, ...stayed].join('; ');
}
