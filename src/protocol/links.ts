/**
 * Links in model output: where one really leads, and whether its visible text says so. The
 * webview shows the destination of a link whose text does not name it; the host asks before
 * opening such a link (src/vscode/chatView/answerLinks.ts). Pure, zod-free (the webview imports it).
 */

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Where a link leads as a person reads it — the host (`example.com:8080`, punycode as is) or a mailto address — or undefined for any other scheme. */
export function linkDestination(href: string): string | undefined {
  const url = parse(href);
  if (!url) return undefined;
  if (url.protocol === 'mailto:') return decodeURIComponent(url.pathname) || undefined;
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.host || undefined : undefined;
}

/**
 * True when the visible `text` of a link says where it goes: it is the URL itself or the start of
 * it (`example.com/docs` for `https://example.com/docs/x`), or names its host (`www.` aside). A
 * word ("the docs"), another host, a look-alike host (compared in punycode) or user info
 * (`https://bank.com@evil.example`) do not.
 */
export function linkTextMatches(text: string, href: string): boolean {
  const target = parse(href);
  const said = text.trim();
  if (!target || !said || target.username || target.password) return false;
  if (target.protocol === 'mailto:') return said === href || said === decodeURIComponent(target.pathname);
  const written = parse(SCHEME.test(said) ? said : `${target.protocol}//${said}`);
  if (!written || written.username || written.password || written.protocol !== target.protocol) return false;
  const host = (h: string): string => h.replace(/^www\./i, '').toLowerCase();
  if (host(written.hostname) !== host(target.hostname) || written.port !== target.port) return false;
  const writtenPath = `${written.pathname}${written.search}${written.hash}`;
  return writtenPath === '/' || `${target.pathname}${target.search}${target.hash}`.startsWith(writtenPath);
}

function parse(value: string): URL | undefined {
  if (typeof value !== 'string' || value.length > 4096 || /\s/.test(value.trim())) return undefined;
  try {
    return new URL(value.trim());
  } catch {
    return undefined;
  }
}
