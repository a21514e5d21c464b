/** `read_file`: a text file of the workspace, a page of {@link READ_PAGE_LINES} lines at a time. Pure. */
import * as z from 'zod/mini';
import type { RunTool } from './define';
import { lineNumber, workspacePath } from './fields';
import { shownName } from '../../protocol/invisibleText';

/** A read returns at most this many lines at once (the rest is paged). */
export const READ_PAGE_LINES = 400;

const args = z.strictObject({
  path: workspacePath('Path relative to the workspace root.'),
  start_line: z.optional(lineNumber('First line to read (1-based).')),
  end_line: z.optional(lineNumber('Last line to read (inclusive).')),
});

export const readFile: RunTool<'read_file', typeof args> = {
  name: 'read_file',
  kind: 'read',
  description:
    'Read a text file of the workspace. Large files are returned a page at a time; ask for a line range to read further.',
  args,
  title: ({ path, start_line: s, end_line: e }) => {
    if (s !== undefined && e !== undefined) return `Read ${path} lines ${s}–${e}`;
    if (s !== undefined) return `Read ${path} from line ${s}`;
    return `Read ${path}`;
  },
  run: async ({ path, start_line, end_line }, host) => {
    const read = await host.readText(path);
    if (!read.ok) return read;
    const lines = read.text.split(/\r?\n/);
    const from = Math.max(1, start_line ?? 1);
    if (from > lines.length)
      return {
        ok: false,
        content: `${shownName(read.rel)} has ${lines.length} lines; start_line ${from} is past its end`,
        summary: 'past the end',
      };
    const to = Math.min(lines.length, end_line ?? from + READ_PAGE_LINES - 1, from + READ_PAGE_LINES - 1);
    const more =
      to < lines.length ? `\n[lines ${from}–${to} of ${lines.length}; read on with start_line ${to + 1}]` : '';
    const head = from > 1 || more ? `${shownName(read.rel)} (lines ${from}–${to} of ${lines.length}):\n` : '';
    return {
      ok: true,
      content: `${head}${lines.slice(from - 1, to).join('\n')}${more}`,
      summary: `${to - from + 1} lines`,
    };
  },
};
