/** `write_file`: a file created, or replaced whole. Pure. */
import * as z from 'zod/mini';
import type { EditTool } from './define';
import { workspacePath } from './fields';

const args = z.strictObject({
  path: workspacePath('Path relative to the workspace root.'),
  content: z.string().check(z.describe('The complete content of the file.')),
});

const lines = (text: string): string => {
  const n = text.split('\n').length;
  return `${n} line${n === 1 ? '' : 's'}`;
};

export const writeFile: EditTool<'write_file', typeof args> = {
  name: 'write_file',
  kind: 'edit',
  description: 'Create a file, or replace a whole file with new content.',
  args,
  title: ({ path, content }) => `Write ${path} (${lines(content)})`,
  path: ({ path }) => path,
  propose: ({ content }) => ({ ok: true, content, summary: `written (${lines(content)})` }),
};
