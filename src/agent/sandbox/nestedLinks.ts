/**
 * Nested protected names that are symbolic links (`sub/.envrc -> ../conf/envrc`): bubblewrap
 * cannot mount over a link, only over what it leads to. So a link whose target exists is held by
 * binding that target read-only (the caller adds the link to the read-only paths; bwrap follows
 * it); and after the command, a link that was replaced or removed is put back as it was (what
 * replaced it removed), and the target of a dangling one that the command created is removed —
 * direnv, git and VS Code would otherwise read what the command wrote there. Node only.
 */
import { existsSync, lstatSync, readlinkSync, realpathSync, symlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { isWithin } from './bwrap';

interface LinkState {
  /** Device and inode of the link itself. */
  readonly id: string;
  readonly text: string;
  /** Whether what it leads to existed before the command. */
  readonly targetExisted: boolean;
}

export type LinkStates = ReadonlyMap<string, LinkState>;

/** The state of each of `links` (paths that are symbolic links) before a command. */
export function linkStates(links: readonly string[]): LinkStates {
  const states = new Map<string, LinkState>();
  for (const p of links) {
    const state = linkState(p);
    if (state) states.set(p, { ...state, targetExisted: existsSync(p) });
  }
  return states;
}

/** Links held by binding their target read-only: those whose target exists (a dangling one cannot be bound). */
export function boundLinks(states: LinkStates): string[] {
  return [...states].filter(([, s]) => s.targetExisted).map(([p]) => p);
}

/**
 * After the command: each link replaced or removed is put back (unless its folder is gone: moved
 * with it), and a dangling link's target created inside `folders` is removed. Resolves to the
 * links whose change was undone.
 */
export async function undoLinkChanges(
  states: LinkStates,
  folders: readonly string[],
  log: (message: string) => void,
): Promise<string[]> {
  const undone: string[] = [];
  for (const [p, before] of states) {
    try {
      const now = linkState(p);
      let changed = false;
      if (!now || now.id !== before.id || now.text !== before.text) {
        if (!existsSync(path.dirname(p))) continue;
        await rm(p, { recursive: true, force: true });
        symlinkSync(before.text, p);
        changed = true;
      }
      if (!before.targetExisted && existsSync(p)) {
        const target = realpathSync(p);
        if (isWithin(target, folders)) {
          await rm(target, { recursive: true, force: true });
          changed = true;
        }
      }
      if (changed) undone.push(p);
    } catch (error) {
      log(`agent: could not put back ${p} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
  return undone;
}

function linkState(p: string): { id: string; text: string } | undefined {
  try {
    const stat = lstatSync(p);
    return stat.isSymbolicLink() ? { id: `${stat.dev}:${stat.ino}`, text: readlinkSync(p) } : undefined;
  } catch {
    return undefined;
  }
}
