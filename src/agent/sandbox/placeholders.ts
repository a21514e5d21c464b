/**
 * The empty placeholders that protected paths which do not exist yet are mounted on
 * (sandbox/protectedMounts.ts), in the user's real folder for as long as a sandboxed command
 * runs. Each is created here (never by bwrap, which would leave its mount point behind), its
 * identity noted, and removed when the last command that holds it has ended — only if it is still
 * the very file or folder created here (its inode) and still empty, so nothing the user (or
 * anything outside the sandbox) wrote there meanwhile is removed. Commands running at once share a
 * placeholder (across every holder in the process): removing it under one still running would
 * take its mount away. Those a dead extension host left are removed by the next one
 * (placeholderManifest.ts). Node only, no editor API.
 */
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, rmdirSync, unlinkSync } from 'node:fs';
import { sweepManifests, writeManifest, type ManifestEntry } from './placeholderManifest';
import { protectedMounts, type PathKind, type Placeholder } from './protectedMounts';

export interface HeldPaths {
  /** Every protected path to bind read-only onto itself: those that exist and the placeholders now in place. */
  readonly readOnly: readonly string[];
  /** The placeholders among them (absolute): gone once the command has ended. */
  readonly placeholders: readonly string[];
  /** Removes this command's placeholders (those no other running command holds); call once the command has ended. */
  release(): void;
}

interface Held {
  readonly kind: Placeholder['kind'];
  readonly dev: number;
  readonly ino: number;
  users: number;
}

/** The placeholders in place, by path: one map per process, so every holder in it shares them. */
const HELD = new Map<string, Held>();

export class ProtectedPlaceholders {
  private readonly held = HELD;
  private swept = false;

  /** `manifests`: where each process records its placeholders, so a dead one's are removed (placeholderManifest.ts). */
  constructor(
    private readonly log: (message: string) => void = () => undefined,
    private readonly manifests?: string,
  ) {}

  /** The protected paths of `folders` held for one command: placeholders created for the missing ones but `creatable`. */
  hold(folders: readonly string[], creatable: readonly string[] = []): HeldPaths {
    if (this.manifests && !this.swept) {
      this.swept = true;
      sweepManifests(this.manifests, (entry) => removeIfUntouched(entry, this.log));
    }
    const plan = protectedMounts(folders, (p) => (this.held.has(p) ? 'missing' : kindOf(p)), creatable);
    const readOnly = [...plan.existing];
    const placeholders: string[] = [];
    for (const placeholder of plan.placeholders) {
      const state = this.place(placeholder);
      if (state === 'held') placeholders.push(placeholder.path);
      if (state !== 'absent') readOnly.push(placeholder.path);
    }
    this.record();
    let released = false;
    return {
      readOnly,
      placeholders,
      release: () => {
        if (released) return;
        released = true;
        for (const p of placeholders) this.drop(p);
        this.record();
      },
    };
  }

  /** Creates (or shares) the placeholder; 'exists' when something else appeared there first. */
  private place({ path: p, kind }: Placeholder): 'held' | 'exists' | 'absent' {
    const already = this.held.get(p);
    if (already) {
      already.users++;
      return 'held';
    }
    try {
      if (kind === 'folder') mkdirSync(p);
      else closeSync(openSync(p, 'wx'));
      const stat = lstatSync(p);
      this.held.set(p, { kind, dev: stat.dev, ino: stat.ino, users: 1 });
      return 'held';
    } catch (error) {
      // Made meanwhile by something else: it exists, so it is bound read-only like any existing one.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
      // Not creatable by the user (a read-only folder): a program in the sandbox cannot create it either.
      this.log(`agent: no placeholder for ${p} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      return 'absent';
    }
  }

  private drop(p: string): void {
    const held = this.held.get(p);
    if (!held || --held.users > 0) return;
    this.held.delete(p);
    removeIfUntouched({ path: p, ...held }, this.log);
  }

  private record(): void {
    if (!this.manifests) return;
    const entries = [...this.held].map(([p, { kind, dev, ino }]) => ({ path: p, kind, dev, ino }));
    try {
      writeManifest(this.manifests, entries);
    } catch (error) {
      this.log(`agent: could not record the placeholders (${String(error)})`);
    }
  }
}

/** Removes a placeholder if it is still the very file or folder made (its inode) and still empty. */
function removeIfUntouched(entry: ManifestEntry, log: (message: string) => void): void {
  try {
    const stat = lstatSync(entry.path);
    const same = stat.dev === entry.dev && stat.ino === entry.ino;
    const empty =
      entry.kind === 'folder' ? stat.isDirectory() && readdirSync(entry.path).length === 0 : stat.size === 0;
    if (!same || !empty) {
      log(`agent: left ${entry.path} in place: it was ${same ? 'written' : 'replaced'} outside the sandbox meanwhile`);
      return;
    }
    if (entry.kind === 'folder') rmdirSync(entry.path);
    else unlinkSync(entry.path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      log(`agent: could not remove the placeholder ${entry.path} (${(error as NodeJS.ErrnoException).code})`);
  }
}

/** The protected names of `folders` that are symbolic links (absolute): commands ask while there is one. */
export function protectedLinks(folders: readonly string[]): readonly string[] {
  return protectedMounts(folders, kindOf).links;
}

/** What is at `p`, without following a link there. */
export function kindOf(p: string): PathKind {
  try {
    const stat = lstatSync(p);
    if (stat.isSymbolicLink()) return { link: readlinkSync(p) };
    return stat.isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}
