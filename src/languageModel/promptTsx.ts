/**
 * The text of a tool result VS Code's own tools give as a prompt-tsx element tree
 * (`LanguageModelPromptTsxPart`, the JSON of `@vscode/prompt-tsx`'s `renderElementJSON`): its text
 * pieces in order, a line break where a piece asks for one. Untrusted shape: bounded depth. Pure.
 */

/** The text pieces of a prompt-tsx element tree (VS Code's own tools answer with these), in order. */
export function promptTsxText(value: unknown, depth = 0): string {
  if (depth > 64 || value === null || typeof value !== 'object') return typeof value === 'string' ? value : '';
  if (Array.isArray(value)) return value.map((v) => promptTsxText(v, depth + 1)).join('');
  const node = value as Record<string, unknown>;
  if (typeof node.text === 'string') return `${node.lineBreakBefore === true ? '\n' : ''}${node.text}`;
  return Object.entries(node)
    .filter(([k]) => k === 'node' || k === 'children')
    .map(([, v]) => promptTsxText(v, depth + 1))
    .join('');
}
