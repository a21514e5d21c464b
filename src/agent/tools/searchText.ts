/** `search_text`: the workspace's text searched with ripgrep (the host runs it). Pure. */
import * as z from 'zod/mini';
import type { RunTool } from './define';

const args = z.strictObject({
  query: z.string().check(z.minLength(1), z.maxLength(2000), z.describe('Text or regular expression to search for.')),
  is_regex: z.optional(z.boolean().check(z.describe('Treat query as a regular expression (default: literal text).'))),
  glob: z.optional(z.string().check(z.maxLength(500), z.describe('Only files matching this glob, e.g. src/**/*.ts'))),
});

export const searchText: RunTool<'search_text', typeof args> = {
  name: 'search_text',
  kind: 'read',
  description: 'Search the text of the workspace files (ripgrep). Returns path:line: text matches.',
  args,
  title: ({ query, is_regex, glob }) =>
    `Search for ${is_regex ? `/${query}/` : `“${query}”`}${glob ? ` in ${glob}` : ''}`,
  run: ({ query, is_regex, glob }, host, { signal }) =>
    host.searchText({ query, isRegex: is_regex ?? false, ...(glob ? { glob } : {}) }, signal),
};
