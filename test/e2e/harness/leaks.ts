/**
 * Searches files for a secret, byte for byte (UTF-8 and UTF-16LE), so binary stores count too:
 * VS Code's SQLite state databases (`state.vscdb`, workspace and global), logs, settings, caches.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

function* files(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile()) yield full;
  }
}

export interface LeakScan {
  /** Files that contain the secret. */
  readonly found: readonly string[];
  /** How many files and bytes were searched (so a scan of nothing does not pass silently). */
  readonly files: number;
  readonly bytes: number;
  /** The SQLite state databases among them. */
  readonly stateDbs: readonly string[];
}

/** Every file under `dirs` that holds `secret`. Files larger than `maxBytes` are skipped. */
export function scanForSecret(dirs: readonly string[], secret: string, maxBytes = 64 * 1024 * 1024): LeakScan {
  const needles = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')];
  const found: string[] = [];
  const stateDbs: string[] = [];
  let count = 0;
  let bytes = 0;
  for (const dir of dirs) {
    for (const file of files(dir)) {
      const size = statSync(file).size;
      if (size > maxBytes) continue;
      const content = readFileSync(file);
      count++;
      bytes += size;
      if (path.basename(file).startsWith('state.vscdb')) stateDbs.push(file);
      if (needles.some((n) => content.includes(n))) found.push(file);
    }
  }
  return { found, files: count, bytes, stateDbs };
}
