/**
 * A browser harness for the chat webview: builds src/webview/main.ts with esbuild (in memory),
 * serves it on 127.0.0.1 under the same strict CSP as src/vscode/chatView/webviewHtml.ts, with a nonce'd
 * shim that stands in for VS Code (`acquireVsCodeApi`, message delivery), and drives it in
 * Debian's Chromium with playwright-core. Nothing leaves the loopback: other requests are aborted
 * and recorded.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { HostToWebview, WebviewToHost } from '../../src/protocol/messages';
import { THEMES, VSCODE_DEFAULT_STYLES, type ThemeName } from './theme';
import { chatPageHtml } from '../../src/protocol/csp';
import { chromiumArgs } from '../e2e/harness/browser';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const resultsDir = path.join(projectRoot, 'test-results');
const chromiumPath = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

/** What the shim exposes on `window` (read from the page with `evaluate`). */
export interface HarnessWindow {
  __posted: WebviewToHost[];
  __state: unknown;
  __violations: { directive: string; blocked: string; sample: string }[];
  __deliver(message: HostToWebview): void;
  __pwned?: unknown;
}

export interface OpenOptions {
  readonly theme?: ThemeName;
  /** The state `vscode.getState()` returns (as after the view was hidden and shown again). */
  readonly state?: unknown;
  readonly viewport?: { readonly width: number; readonly height: number };
  readonly deviceScaleFactor?: number;
  /** A script run in the page before any of its own (`page.addInitScript`), e.g. to answer `ready` at once. */
  readonly beforeLoad?: string;
}

/** One loaded webview page. */
export interface WebviewPage {
  readonly page: Page;
  /** Messages the webview posted to the "host", in order. */
  posted(): Promise<WebviewToHost[]>;
  /** Waits until a message of this type was posted and returns the last one. */
  waitForPosted<T extends WebviewToHost['type']>(type: T): Promise<Extract<WebviewToHost, { type: T }>>;
  deliver(...messages: HostToWebview[]): Promise<void>;
  /** Waits for two animation frames (the webview renders streamed text once per frame). */
  nextFrames(): Promise<void>;
  /** CSP violations reported by the page. */
  violations(): Promise<HarnessWindow['__violations']>;
  /** Console errors and uncaught exceptions. */
  readonly errors: string[];
  /** Requests to anywhere but the harness (all aborted). */
  readonly offHostRequests: string[];
  close(): Promise<void>;
}

export interface Harness {
  readonly origin: string;
  /** Size in bytes of the minified bundle. */
  readonly bundleBytes: number;
  /** Packages that ended up in the bundle (from esbuild's metafile). */
  readonly bundledPackages: readonly string[];
  open(options?: OpenOptions): Promise<WebviewPage>;
  close(): Promise<void>;
}

/** Builds the webview bundle like esbuild.mjs does in production, without writing it. */
async function buildBundle(): Promise<{ code: Uint8Array; packages: string[] }> {
  const result = await esbuild.build({
    entryPoints: [path.join(projectRoot, 'src/webview/main.ts')],
    bundle: true,
    write: false,
    outfile: 'webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error('esbuild produced no output');
  const packages = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    if (match?.[1]) packages.add(match[1]);
  }
  return { code, packages: [...packages].sort() };
}

function page(nonce: string, origin: string, theme: ThemeName, state: unknown): string {
  const stateJson = JSON.stringify(state ?? null).replace(/</g, '\\u003c');
  // Stands in for VS Code's webview host: the API object, message delivery, CSP reports.
  const shim = `(() => {
  let state = ${stateJson};
  let acquired = false;
  window.__posted = [];
  window.__state = state;
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
  });
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: (message) => { window.__posted.push(JSON.parse(JSON.stringify(message))); },
      getState: () => state,
      setState: (next) => { state = JSON.parse(JSON.stringify(next)); window.__state = state; return next; },
    });
  };
  window.__deliver = (data) => window.dispatchEvent(new MessageEvent('message', { data }));
})();`;
  const kind = THEMES[theme].kind;
  // The production page, wrapped the way VS Code wraps a webview: its theme variables before our
  // stylesheet, the theme kind on <body>, and its API object defined before our script runs.
  const html = chatPageHtml({
    cspSource: origin,
    nonce,
    styleUri: `${origin}/media/chat.css`,
    scriptUri: `${origin}/dist/webview.js`,
  });
  const wrapped = html
    .replace(
      '<link rel="stylesheet"',
      `<link rel="stylesheet" href="${origin}/vscode-theme.css?theme=${theme}">\n<link rel="stylesheet"`,
    )
    .replace('<body>', `<body class="${kind}" data-vscode-theme-kind="${kind}">`)
    .replace(
      `<script nonce="${nonce}" src=`,
      `<script nonce="${nonce}">${shim}</script>\n<script nonce="${nonce}" src=`,
    );
  if (
    wrapped === html ||
    !wrapped.includes('__deliver') ||
    !wrapped.includes('vscode-theme.css') ||
    !wrapped.includes(`class="${kind}"`)
  )
    throw new Error('the production page no longer has the places the harness wraps');
  return wrapped;
}

function serve(bundle: Uint8Array): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    const send = (status: number, type: string, body: string | Uint8Array): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (url.pathname === '/') {
      const theme = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
      const raw = url.searchParams.get('state');
      const state: unknown = raw ? JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) : undefined;
      send(200, 'text/html; charset=utf-8', page(randomBytes(18).toString('base64url'), origin, theme, state));
    } else if (url.pathname === '/dist/webview.js') {
      send(200, 'text/javascript; charset=utf-8', bundle);
    } else if (url.pathname === '/media/chat.css') {
      // Read on every request, so CSS changes show up without restarting anything.
      send(200, 'text/css; charset=utf-8', readFileSync(path.join(projectRoot, 'media/chat.css')));
    } else if (url.pathname === '/vscode-theme.css') {
      const theme = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
      const vars = Object.entries(THEMES[theme].vars)
        .map(([name, value]) => `  --vscode-${name}: ${value};`)
        .join('\n');
      send(
        200,
        'text/css; charset=utf-8',
        `html {\n${vars}\n  background: var(--vscode-sideBar-background);\n}\n${VSCODE_DEFAULT_STYLES}`,
      );
    } else {
      send(404, 'text/plain', 'not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    });
  });
}

/** Waits (up to a minute) for Chromium, which may still be being installed by apt. */
async function waitForChromium(): Promise<void> {
  for (let i = 0; i < 60 && !existsSync(chromiumPath); i++) await new Promise((r) => setTimeout(r, 1000));
  if (!existsSync(chromiumPath))
    throw new Error(`Chromium not found at ${chromiumPath} (apt-get install chromium, or set E2E_CHROMIUM)`);
}

export async function startHarness(): Promise<Harness> {
  const { code, packages } = await buildBundle();
  await waitForChromium();
  const { server, origin } = await serve(code);
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs(),
      timeout: 60_000,
    });
  } catch (error) {
    server.close();
    throw error;
  }
  const contexts = new Set<BrowserContext>();

  const open = async (options: OpenOptions = {}): Promise<WebviewPage> => {
    const context = await browser.newContext({
      viewport: { ...(options.viewport ?? { width: 420, height: 760 }) },
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
      colorScheme: options.theme === 'light' ? 'light' : 'dark',
      reducedMotion: null, // the browser's own preference (chromiumArgs), unless a test emulates one
    });
    contexts.add(context);
    context.setDefaultTimeout(60_000);
    const offHostRequests: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
      offHostRequests.push(url);
      return route.abort('blockedbyclient');
    });
    const p = await context.newPage();
    const errors: string[] = [];
    p.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    p.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
    const state =
      options.state === undefined ? '' : `&state=${Buffer.from(JSON.stringify(options.state)).toString('base64url')}`;
    if (options.beforeLoad) await p.addInitScript(options.beforeLoad);
    await p.goto(`${origin}/?theme=${options.theme ?? 'dark'}${state}`);
    await p.waitForFunction(() => (window as unknown as HarnessWindow).__posted.length > 0);

    const posted = (): Promise<WebviewToHost[]> => p.evaluate(() => (window as unknown as HarnessWindow).__posted);
    return {
      page: p,
      errors,
      offHostRequests,
      posted,
      async waitForPosted(type) {
        await p.waitForFunction((t) => (window as unknown as HarnessWindow).__posted.some((m) => m.type === t), type);
        const all = await posted();
        return all.filter((m) => m.type === type).at(-1) as Extract<WebviewToHost, { type: typeof type }>;
      },
      async deliver(...messages) {
        await p.evaluate((list) => {
          for (const m of list) (window as unknown as HarnessWindow).__deliver(m);
        }, messages);
      },
      nextFrames: () =>
        p.evaluate(
          () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
        ),
      violations: () => p.evaluate(() => (window as unknown as HarnessWindow).__violations),
      async close() {
        contexts.delete(context);
        await context.close().catch(() => undefined);
      },
    };
  };

  return {
    origin,
    bundleBytes: code.byteLength,
    bundledPackages: packages,
    open,
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

/** Opens a page, runs the scenario, then checks the page stayed clean (no CSP violation, console error or off-host request) and closes it. */
export async function withCleanPage(
  harness: Harness,
  options: OpenOptions,
  scenario: (w: WebviewPage) => Promise<void>,
): Promise<void> {
  const w = await harness.open(options);
  try {
    await scenario(w);
    assert.deepEqual(await w.violations(), [], 'no CSP violations');
    assert.deepEqual(w.errors, [], 'no console errors');
    assert.deepEqual(w.offHostRequests, [], 'no request left the loopback');
  } finally {
    await w.close();
  }
}
