/**
 * A compact unified diff of one file for a tool card: the changed region between the common
 * first and last lines, with up to 3 lines of context, `-`/`+` prefixed. Not a minimal diff (the
 * editor's diff view is the real review); enough to see what an edit does. Pure.
 */
const CONTEXT = 3;
const MAX_LINES = 400;

export function unifiedDiff(path: string, before: string | null, after: string | null): string {
  const a = before === null ? [] : before.split(/\r?\n/);
  const b = after === null ? [] : after.split(/\r?\n/);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const from = Math.max(0, start - CONTEXT);
  const header = [
    `--- ${before === null ? '/dev/null' : `a/${path}`}`,
    `+++ ${after === null ? '/dev/null' : `b/${path}`}`,
    `@@ -${from + 1},${Math.min(a.length, endA + CONTEXT) - from} +${from + 1},${Math.min(b.length, endB + CONTEXT) - from} @@`,
  ];
  const body = [
    ...a.slice(from, start).map((l) => ` ${l}`),
    ...a.slice(start, endA).map((l) => `-${l}`),
    ...b.slice(start, endB).map((l) => `+${l}`),
    ...a.slice(endA, Math.min(a.length, endA + CONTEXT)).map((l) => ` ${l}`),
  ];
  const shown =
    body.length > MAX_LINES ? [...body.slice(0, MAX_LINES), `… ${body.length - MAX_LINES} more lines`] : body;
  return [...header, ...shown].join('\n');
}
