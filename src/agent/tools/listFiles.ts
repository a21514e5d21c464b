/** `list_files`: a folder's entries (or its whole tree) from the workspace's file list. Pure. */
import * as z from 'zod/mini';
import { listFolder, MAX_LISTED } from '../search';
import type { RunTool } from './define';
import { optionalPath } from './fields';
import { shownName } from '../../protocol/invisibleText';

const args = z.strictObject({
  path: optionalPath('Folder relative to the workspace root; empty for the root.'),
  recursive: z.optional(z.boolean().check(z.describe('List the whole tree below the folder.'))),
});

export const listFiles: RunTool<'list_files', typeof args> = {
  name: 'list_files',
  kind: 'read',
  description: 'List files and folders of a workspace folder (honours .gitignore and files.exclude).',
  args,
  title: ({ path, recursive }) => `List ${path || 'the workspace'}${recursive ? ' (recursive)' : ''}`,
  run: async ({ path, recursive }, host) => {
    const found = await host.listFiles(path || '.');
    if (!found.ok) return found;
    const listed = listFolder(found.files, found.rel, recursive ?? false);
    if (listed.total === 0)
      return {
        ok: true,
        content: `${shownName(found.rel) || 'The workspace'} has no files (or all are ignored)`,
        summary: 'empty',
      };
    const note = listed.truncated ? `\n[${MAX_LISTED} of ${listed.total} entries shown]` : '';
    // One name a line: a line break in a name is written out, never a forged entry.
    return { ok: true, content: listed.lines.map(shownName).join('\n') + note, summary: `${listed.total} entries` };
  },
};
