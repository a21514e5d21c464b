/** `run_command`: a shell command in the workspace, in a terminal the user sees (the host runs it). Pure. */
import * as z from 'zod/mini';
import type { RunTool } from './define';
import { optionalPath } from './fields';

const args = z.strictObject({
  command: z.string().check(z.minLength(1), z.maxLength(4000), z.describe('The command line, e.g. "node --test".')),
  cwd: optionalPath('Working folder relative to the workspace root (default: the root).'),
});

export const runCommand: RunTool<'run_command', typeof args> = {
  name: 'run_command',
  kind: 'command',
  description: 'Run a shell command in the workspace (in a terminal the user sees) and get its output and exit code.',
  args,
  title: ({ command, cwd }) => `Run ${command}${cwd ? ` in ${cwd}` : ''}`,
  run: ({ command, cwd }, host, context) => host.runCommand(command, cwd || undefined, context),
};
