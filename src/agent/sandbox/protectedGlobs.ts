/**
 * What a glob in a command's word could stand for among protected names: a segment with a glob
 * and at least three fixed characters (`.vscod?`, `.git*`, `.envr[c]`, `.pnpmfile.c?s`,
 * `.github/workfl*`) is replaced by each of `names` it matches, so the line asks as it would
 * naming it. A segment that starts with a dot is matched against the dotted names, one that does
 * not against the others (bash's `*` and `?` never match a name's leading dot). A bare `*` or `.*`
 * names no particular one and is left alone. Pure.
 */

/** At most this many words come out of one word. */
const MAX_WORDS = 64;

/** The words `word` could expand to that replace a glob segment with a protected name of `names`; [] when none. */
export function globMatches(word: string, names: readonly string[]): string[] {
  let words = [''];
  let matched = false;
  for (const [i, segment] of word.split('/').entries()) {
    const dot = segment.startsWith('.');
    const hits = isGlob(segment) ? names.filter((n) => n.startsWith('.') === dot && globRegex(segment).test(n)) : [];
    if (hits.length) matched = true;
    const choices = hits.length ? hits : [segment];
    words = words.flatMap((w) => choices.map((c) => (i === 0 ? c : `${w}/${c}`))).slice(0, MAX_WORDS);
  }
  return matched ? words : [];
}

function isGlob(segment: string): boolean {
  return /[*?[]/.test(segment) && segment.replace(/^\.|[*?]|\[[^\]]*\]/g, '').length >= 3;
}

/** A glob segment as a regular expression over one name, case-insensitive (`[!x]` and `[^x]` negate). */
function globRegex(segment: string): RegExp {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    const close = c === '[' ? segment.indexOf(']', i + 2) : -1;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (close > i) {
      const body = segment
        .slice(i + 1, close)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\');
      out += `[${body.startsWith('^') ? '^' + body.slice(1).replace(/\]/g, '\\]') : body.replace(/\]/g, '\\]')}]`;
      i = close;
    } else out += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 'i');
}
