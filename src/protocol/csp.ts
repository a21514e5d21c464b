/**
 * The chat webview's Content-Security-Policy: scripts only with the page's nonce; styles, fonts
 * and images only from the extension (`cspSource`) plus inline `data:` images; no remote images
 * (model output must not be able to call out), no base URL or form targets — no network from the
 * webview at all. Shared by the host and the browser test so both use one policy.
 */
export function chatCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
