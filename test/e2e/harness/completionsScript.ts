/**
 * What test/e2e/completions.test.ts types and what the fake OpenRouter answers: the lines typed,
 * each scripted completion (after which text, what it inserts) and the file a careful typist
 * would have saved.
 */

export const AREA_LINE = 'export const circleArea = (r: number) => ';
export const AREA_INSERT = 'Math.PI * r * r;';
export const SQUARE_LINE = 'export const squareArea = (side: number) => ';
export const REPORT = 'src/report.ts';
/** What is typed in src/report.ts, the scripted answer, and the keys pressed after accepting (VS Code auto-closes brackets and quotes). */
export const REPORT_LINES: readonly {
  readonly type: string;
  readonly answer: string;
  readonly ghost: string;
  readonly then: string;
}[] = [
  { type: 'console.log(', answer: "'area', circleArea(2));", ghost: "'area', circleArea(2)", then: '' },
  { type: 'console.info(', answer: "'area', circleArea(2)", ghost: "'area', circleArea(2)", then: ';' },
  { type: "const label = '", answer: "total area';", ghost: 'total area', then: '' },
  { type: 'items.push([', answer: '1, 2]);', ghost: '1, 2', then: '' },
];
/**
 * What src/report.ts holds before the typing: `items` is declared, as in real code, so the suggest
 * widget that opens while `items` is typed offers `items` itself, and the `.` typed next (a commit
 * character) commits the same text (with no `items` in scope it committed lib.dom's
 * `DataTransferItemList` whenever the widget was up before the `.` — on a loaded machine).
 */
export const REPORT_START = '// Report.\nconst items: number[][] = [];\n';
/** The file a careful typist would have written. */
export const REPORT_WANT = [
  '// Report.',
  'const items: number[][] = [];',
  "console.log('area', circleArea(2));",
  "console.info('area', circleArea(2));",
  "const label = 'total area';",
  'items.push([1, 2]);',
  'console.warn(0, 1);',
  'function double(n: number) {',
  '    return n * 2;',
  '}',
].join('\n');

/** The fake's answers: after the text that ends the prompt, what it inserts. */
export const SCRIPTED_INSERTIONS: readonly { readonly after: string; readonly insert: string }[] = [
  { after: AREA_LINE, insert: AREA_INSERT },
  { after: `${SQUARE_LINE}side`, insert: ' * side;' },
  { after: SQUARE_LINE, insert: 'STALE_SUGGESTION;' },
  ...REPORT_LINES.map((l) => ({ after: l.type, insert: l.answer })),
  // Only what already follows the cursor (the auto-closed `)`): nothing to show.
  { after: 'console.warn(', insert: ')' },
  // A digit, not a name: no suggest list opens over the ghost text (with `x`, TypeScript's list came up
  // on a loaded machine offering `XMLDocument`, and the ghost text waited on the list's item).
  { after: 'console.warn(0', insert: ', 1);' },
  // A block that closes its block: its `}` is already below the cursor.
  // (VS Code's default indentation is 4 spaces; the model indents from column 0.)
  { after: 'function double(n: number) {\n    ', insert: 'return n * 2;\n}' },
  // With VS Code's suggest list open on `label`, the answer asked as if it were accepted.
  { after: 'console.error(label', insert: '.length);' },
];
