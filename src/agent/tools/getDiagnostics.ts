/** `get_diagnostics`: the errors and warnings VS Code knows, for one file or the workspace. Pure. */
import * as z from 'zod/mini';
import type { RunTool } from './define';
import { optionalPath } from './fields';
import { shownName } from '../../protocol/invisibleText';

/** At most this many problems are listed. */
export const MAX_DIAGNOSTICS = 200;

const args = z.strictObject({
  path: optionalPath('A file relative to the workspace root; omit for the whole workspace.'),
});

export const getDiagnostics: RunTool<'get_diagnostics', typeof args> = {
  name: 'get_diagnostics',
  kind: 'read',
  description: 'Errors and warnings VS Code knows (compiler, linters) for one file or the whole workspace.',
  args,
  title: ({ path }) => `Problems in ${path ?? 'the workspace'}`,
  run: async ({ path }, host) => {
    const found = await host.diagnostics(path || undefined);
    if (!found.ok) return found;
    const lines = found.problems.map(
      (p) =>
        `${shownName(p.path)}:${p.line}:${p.column} ${p.severity}: ${p.message}${p.source ? ` (${p.source})` : ''}`,
    );
    if (lines.length === 0) return { ok: true, content: 'No problems.', summary: 'no problems' };
    const more = lines.length > MAX_DIAGNOSTICS ? `\n[${MAX_DIAGNOSTICS} of ${lines.length} shown]` : '';
    return {
      ok: true,
      content: lines.slice(0, MAX_DIAGNOSTICS).join('\n') + more,
      summary: `${lines.length} problems`,
    };
  },
};
