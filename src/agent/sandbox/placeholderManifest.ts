/**
 * A record of the placeholders a process has in place (sandbox/placeholders.ts): one file per
 * extension host, named for its pid, in the extension's storage. The next process removes what a
 * dead one left behind (its extension host crashed or was killed mid-command), under the same rule
 * as ever: the very inode made, still empty. A live process's record is never touched (another
 * window may be running a command on its placeholders). Node only.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { processAlive } from '../processAlive';

export interface ManifestEntry {
  readonly path: string;
  readonly kind: 'file' | 'folder';
  readonly dev: number;
  readonly ino: number;
}

const NAME = /^placeholders-(\d+)\.json$/;

/** Records this process's placeholders (none: no file). */
export function writeManifest(folder: string, entries: readonly ManifestEntry[]): void {
  const file = path.join(folder, `placeholders-${process.pid}.json`);
  if (!entries.length) rmSync(file, { force: true });
  else {
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, JSON.stringify(entries));
  }
}

/** Hands each placeholder a dead process recorded to `remove`, then drops its record. */
export function sweepManifests(folder: string, remove: (entry: ManifestEntry) => void): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(NAME.exec(name)?.[1]);
    if (!pid || pid === process.pid || processAlive(pid)) continue;
    const file = path.join(folder, name);
    try {
      for (const entry of JSON.parse(readFileSync(file, 'utf8')) as ManifestEntry[]) remove(entry);
    } catch {
      // Unreadable: nothing can be known about its placeholders; they stay.
    }
    rmSync(file, { force: true });
  }
}
