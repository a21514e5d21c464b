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

/**
 * The chat webview's whole page: the CSP above, the stylesheet, an empty `#app` and the bundle's
 * script with the nonce. `cspSource` is VS Code's `webview.cspSource`; `styleUri` and
 * `scriptUri` are URIs the webview may load (`webview.asWebviewUri`). The host
 * (src/vscode/chatView/webviewHtml.ts) and the browser test harness (test/webview/harness.ts) both serve it.
 */
export function chatPageHtml(page: {
  readonly cspSource: string;
  readonly nonce: string;
  readonly styleUri: string;
  readonly scriptUri: string;
}): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${chatCsp(page.cspSource, page.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${page.styleUri}">
<title>Switchyard</title>
</head>
<body>
<div id="app"></div>
<script nonce="${page.nonce}" src="${page.scriptUri}"></script>
</body>
</html>`;
}
