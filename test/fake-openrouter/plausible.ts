/**
 * Plausible code for a fill-in-the-middle prompt, so the trial (`npm start -- --fake`) shows real
 * suggestions: read from the text around the cursor, not a fixed string. It answers the way chat
 * models do — the rest of the line with its closing brackets and `;`, a block body with its
 * closing `}` — so the extension's clean-up is exercised too. Deterministic; '' when nothing fits
 * (after a finished statement).
 */

const KEYWORDS = new Set([
  'const',
  'let',
  'var',
  'function',
  'return',
  'if',
  'else',
  'for',
  'while',
  'def',
  'class',
  'new',
  'this',
  'true',
  'false',
  'null',
  'undefined',
  'import',
  'export',
  'from',
  'async',
  'await',
  'self',
  'None',
  'True',
  'False',
]);

/** Names declared before the cursor's line (variables and functions), nearest first. */
function namesBefore(before: string): string[] {
  const names: string[] = [];
  const above = before.slice(0, before.lastIndexOf('\n') + 1);
  for (const m of above.matchAll(/\b(?:const|let|var|def|function)\s+([A-Za-z_$][\w$]*)/g)) names.push(m[1]!);
  return [...new Set(names.reverse())].filter((n) => !KEYWORDS.has(n));
}

/** The parameters of the innermost function opened before the cursor. */
function parameters(before: string): string[] {
  const heads = [
    ...before.matchAll(
      /(?:function\s*[\w$]*|def\s+\w+|[\w$]+)\s*\(([^()]*)\)\s*(?::\s*[\w<>[\], ]+)?\s*(?:=>\s*)?[{:]/g,
    ),
  ];
  const last = heads.at(-1)?.[1] ?? '';
  return last
    .split(',')
    .map((p) => p.replace(/[:=].*$/, '').replace(/[?.\s]/g, ''))
    .filter((p) => /^[A-Za-z_$][\w$]*$/.test(p) && p !== 'self');
}

/** Closers for the brackets and quote left open on the line, innermost first. */
function closersOf(line: string): string {
  const stack: string[] = [];
  let quote = '';
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') stack.push(ch);
    else if ((ch === ')' || ch === ']' || ch === '}') && stack.length) stack.pop();
  }
  const close: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  return (
    quote +
    stack
      .reverse()
      .map((o) => close[o])
      .join('')
  );
}

const isPython = (before: string): boolean => /^\s*def .*:\s*$/m.test(before) && !/[;{]\s*$/m.test(before);

/** An expression from what is in scope: the parameters combined, else a name, else a literal. */
function expression(before: string): string {
  const params = parameters(before);
  if (params.length >= 2) return `${params[0]} + ${params[1]}`;
  if (params.length === 1) return params[0]!;
  return namesBefore(before)[0] ?? (isPython(before) ? 'None' : 'null');
}

/** The insertion a chat model would give for the cursor between `before` and `after`. */
export function plausibleCompletion(before: string, after: string): string {
  const line = before.slice(before.lastIndexOf('\n') + 1);
  const semi = isPython(before) ? '' : ';';
  const closers = closersOf(line);
  const indent = /^\s*/.exec(line)![0];
  if (/\/\/\s*$|#\s+$/.test(line)) return 'TODO: handle the empty case';
  if (/["'`]$/.test(closers.slice(0, 1)) && closers) return `done${closers}${semi}`;
  const name = parameters(before)[0] ?? namesBefore(before)[0];
  if (/\b(?:if|while)\s*\($/.test(line)) return name ? `${name} !== undefined${closers}` : '';
  const counted = /(\d+),\s*$/.exec(line);
  if (counted) return `${Number(counted[1]) + 1}${closers}${semi}`;
  if (/\(\s*$/.test(line) || /,\s*$/.test(line)) return `${expression(before)}${closers}${semi}`;
  if (/(?:=|return|=>)\s*$/.test(line)) return `${expression(before)}${closers}${semi}`;
  // At the end of a line that opens a block: its body, and the closing line models like to add.
  if (/[{:]\s*$/.test(line)) return `\n${indent}  return ${expression(before)}${semi}${semi ? `\n${indent}}` : ''}`;
  // A blank line in a block: one statement (the block's closing line below is repeated too).
  if (line.trim() === '' && /[{:]\s*\n\s*$/.test(before))
    return `return ${expression(before)}${semi}${/^\s*\n\s*}/.test(after) ? `\n${indent.slice(2)}}` : ''}`;
  return '';
}
