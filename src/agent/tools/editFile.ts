/** `edit_file`: exact text replaced in a file, each old text found exactly once. Pure. */
import * as z from 'zod/mini';
import { applyReplacements } from '../editText';
import type { EditTool } from './define';
import { workspacePath } from './fields';

const replacement = z.strictObject({
  old_text: z.string().check(z.minLength(1), z.describe('The exact text to replace.')),
  new_text: z.string().check(z.describe('The replacement.')),
});

const args = z.strictObject({
  path: workspacePath('Path relative to the workspace root.'),
  edits: z.array(replacement).check(z.minLength(1), z.maxLength(50)),
});

const replacements = (n: number): string => `${n} replacement${n === 1 ? '' : 's'}`;

export const editFile: EditTool<'edit_file', typeof args> = {
  name: 'edit_file',
  kind: 'edit',
  description:
    'Replace exact text in a file. Each old_text must occur exactly once in the file; include enough surrounding lines to make it unique.',
  args,
  title: ({ path, edits }) => `Edit ${path} (${replacements(edits.length)})`,
  path: ({ path }) => path,
  propose: ({ path, edits }, current) => {
    if (current === null) return { ok: false, error: `${path} does not exist; use write_file to create it.` };
    const edited = applyReplacements(current, edits);
    if (!edited.ok) return edited;
    return { ok: true, content: edited.text, summary: `${replacements(edits.length)} applied` };
  },
};
