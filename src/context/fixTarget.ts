/**
 * What Fix works on when nothing is selected: the lines of the problems at the cursor; else the
 * innermost symbol around the cursor that is code (a function, method, constructor, class…, as
 * the language's document symbols say); else, for languages without symbols, the block the cursor
 * is in, found by indentation and brackets. Never a lone closing `}` on its own. Pure.
 */
import type { LineSpan } from './applyRange';

/** A document symbol as VS Code's `DocumentSymbol`: its kind's name, whole-line range, children. */
export interface SymbolSpan {
  /** `vscode.SymbolKind` name: "Function", "Method", "Class"… */
  readonly kind: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly children: readonly SymbolSpan[];
}

/** Kinds that hold code worth fixing as a whole (not variables, fields, properties or modules). */
const CODE_KINDS = new Set([
  'Function',
  'Method',
  'Constructor',
  'Class',
  'Interface',
  'Enum',
  'Struct',
  'Object',
  'Operator',
]);

/** The innermost code symbol containing `line`, if any. */
export function enclosingSymbol(symbols: readonly SymbolSpan[], line: number): LineSpan | undefined {
  for (const s of symbols) {
    if (line < s.startLine || line > s.endLine) continue;
    const inner = enclosingSymbol(s.children, line);
    if (inner) return inner;
    if (CODE_KINDS.has(s.kind)) return { startLine: s.startLine, endLine: s.endLine };
  }
  return undefined;
}

const indentOf = (text: string): number => /^\s*/.exec(text)![0].replace(/\t/g, '    ').length;
const blank = (text: string): boolean => text.trim() === '';
const closerOnly = (text: string): boolean => /^\s*[}\])]+[;,)]*\s*$|^\s*end\b/.test(text);
const opens = (text: string): boolean => /[{([:]\s*(?:\/\/.*|#.*)?$/.test(text.trimEnd());

/**
 * The block around `line` by indentation: a closing line belongs to the block it closes; a block
 * header takes its body; a line in a body takes its header and body. Top-level lines with no block
 * around them are themselves.
 */
export function enclosingBlock(lines: readonly string[], line: number): LineSpan {
  if (line < 0 || line >= lines.length)
    return {
      startLine: Math.max(0, Math.min(line, lines.length - 1)),
      endLine: Math.max(0, Math.min(line, lines.length - 1)),
    };
  let header = line;
  const text = lines[line]!;
  if (closerOnly(text)) {
    // The nearest line above at the same indentation is the block's header.
    const k = indentOf(text);
    for (let i = line - 1; i >= 0; i--) {
      if (!blank(lines[i]!) && indentOf(lines[i]!) <= k) {
        header = i;
        break;
      }
    }
  } else if (!opens(text)) {
    const k = indentOf(text);
    header = -1;
    for (let i = line - 1; i >= 0 && k > 0; i--) {
      if (!blank(lines[i]!) && indentOf(lines[i]!) < k) {
        header = i;
        break;
      }
    }
    if (header < 0) return { startLine: line, endLine: line };
  }
  return { startLine: header, endLine: blockEnd(lines, header) };
}

/** The last line of the block `header` opens: up to the first line back at its indentation (a closer is included). */
function blockEnd(lines: readonly string[], header: number): number {
  const k = indentOf(lines[header]!);
  let end = header;
  for (let i = header + 1; i < lines.length; i++) {
    const t = lines[i]!;
    if (blank(t)) continue;
    if (indentOf(t) <= k) return closerOnly(t) ? i : end;
    end = i;
  }
  return end;
}

/**
 * Fix's lines with nothing selected: the problems at the cursor (their lines), else the enclosing
 * code symbol, else the enclosing block.
 */
export function fixSpan(
  lines: readonly string[],
  line: number,
  problems: readonly LineSpan[],
  symbols: readonly SymbolSpan[],
): LineSpan {
  const here = problems.filter((p) => p.startLine <= line && p.endLine >= line);
  if (here.length)
    return {
      startLine: Math.min(line, ...here.map((p) => p.startLine)),
      endLine: Math.max(line, ...here.map((p) => p.endLine)),
    };
  return enclosingSymbol(symbols, line) ?? enclosingBlock(lines, line);
}
