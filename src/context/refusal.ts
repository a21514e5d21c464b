/**
 * Which files may be attached, and why not: binary files, huge files and files outside the
 * workspace are refused with a reason the user can read. Pure; the host supplies the facts.
 */
import { formatBytes } from '../protocol/units';

/** Files larger than this are refused (about 128k tokens of code: more than most windows). */
export const MAX_ATTACH_BYTES = 512 * 1024;

/** How many leading bytes are inspected for binary content. */
export const BINARY_SNIFF_BYTES = 8 * 1024;

export interface FileFacts {
  /** Workspace-relative path, or the absolute path when outside the workspace. */
  readonly path: string;
  /** False when the file is not under any workspace folder. */
  readonly inWorkspace: boolean;
  readonly size: number;
  /** The first {@link BINARY_SNIFF_BYTES} bytes (or all of a smaller file). */
  readonly head: Uint8Array;
}

/** `undefined` when the file may be attached; otherwise the reason, as a sentence. */
export function refusalReason(facts: FileFacts): string | undefined {
  if (!facts.inWorkspace)
    return `${facts.path} is outside the workspace; only files of the open folders can be attached.`;
  if (facts.size > MAX_ATTACH_BYTES)
    return `${facts.path} is too large to attach (${formatBytes(facts.size)}; the limit is ${formatBytes(MAX_ATTACH_BYTES)}). Select the part you need and attach the selection instead.`;
  if (looksBinary(facts.head)) return `${facts.path} looks like a binary file; only text files can be attached.`;
  return undefined;
}

/**
 * Binary when the sample has a NUL byte or more than 10 % control characters (other than tab,
 * line feed, form feed, carriage return and escape), the way Git and most editors decide.
 */
export function looksBinary(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return true;
    if (byte < 32 && byte !== 9 && byte !== 10 && byte !== 12 && byte !== 13 && byte !== 27) control++;
  }
  return control / head.length > 0.1;
}
