/**
 * Debian's Chromium driven by playwright-core: the person at the keyboard. Launched headless with
 * the flags that keep it off the (closed) network.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { assertChromiumInstalled, chromiumPath } from './paths';
import { SEL } from './selectors';

/** Chromium flags that are mandatory on these machines (sandbox-less, offline, no GPU). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Every flag the harness gives Chromium: {@link CHROMIUM_ARGS}, then `E2E_CHROMIUM_ARGS="--flag …"`
 * to measure a flag side by side (bench/e2eWindows.ts, test/e2e/run.ts's CPU lines). Measured and
 * left out (README, Testing): `--force-prefers-reduced-motion` (VS Code's default
 * `workbench.reduceMotion: "auto"` follows it; no change in Chromium's CPU beyond noise) and
 * `--disable-gpu-rasterization` (Debian's launcher adds `--enable-gpu-rasterization`, but with
 * `--disable-gpu` chrome://gpu shows software rasterization either way).
 */
export function chromiumArgs(): string[] {
  const extra = (process.env.E2E_CHROMIUM_ARGS ?? '').split(/\s+/).filter(Boolean);
  return [...CHROMIUM_ARGS, ...extra];
}

/** Default viewport: wide enough for the activity bar, a sidebar and an editor. */
export const VIEWPORT = { width: 1400, height: 900 } as const;

/** A launched browser with one page. */
export interface BrowserSession {
  /** The browser (undefined only for some persistent contexts). */
  readonly browser: Browser | undefined;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Closes the browser (idempotent). */
  close(): Promise<void>;
}

/** Options for {@link launchBrowser}. */
export interface LaunchOptions {
  /** Show the window (needs a display). Default: headless unless `E2E_HEADED=1`. */
  readonly headed?: boolean;
  readonly viewport?: { readonly width: number; readonly height: number };
  /**
   * A Chromium profile folder to keep between launches (a persistent context): what the page
   * stores per origin — e.g. VS Code's SecretStorage in code-server — survives a restart, as in
   * a person's own browser. Default: a fresh, throw-away profile.
   */
  readonly profileDir?: string;
}

/** How Chromium is launched (headless unless `headed`). */
export function chromiumLaunchOptions(headed?: boolean): {
  executablePath: string;
  headless: boolean;
  args: string[];
  timeout: number;
} {
  return {
    executablePath: chromiumPath,
    headless: !(headed ?? process.env.E2E_HEADED === '1'),
    args: chromiumArgs(),
    timeout: 60_000,
  };
}

/** A fresh context's options: the viewport, Chromium's own media preferences, clipboard access for copy/paste tests on the loopback origin. */
function contextOptionsFor(options: LaunchOptions): {
  viewport: { width: number; height: number };
  permissions: string[];
  reducedMotion: null;
} {
  return {
    viewport: { ...(options.viewport ?? VIEWPORT) },
    permissions: ['clipboard-read', 'clipboard-write'],
    // Playwright would emulate "no-preference"; the browser's own preference rules (E2E_CHROMIUM_ARGS).
    reducedMotion: null,
  };
}

/**
 * A fresh context (own storage, like a fresh profile) with one page in the Chromium that
 * `test/e2e/run.ts` launched for the whole run; closing it leaves that Chromium running.
 */
export async function connectBrowser(wsEndpoint: string, options: LaunchOptions = {}): Promise<BrowserSession> {
  const browser = await chromium.connect(wsEndpoint, { timeout: 60_000 });
  return withPage(browser, await browser.newContext(contextOptionsFor(options)));
}

/** Launches Chromium and opens one page; browser console errors are kept for debugging. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<BrowserSession> {
  assertChromiumInstalled();
  const launch = chromiumLaunchOptions(options.headed);
  const contextOptions = contextOptionsFor(options);
  let context: BrowserContext;
  let browser: Browser | null;
  if (options.profileDir) {
    context = await chromium.launchPersistentContext(options.profileDir, { ...launch, ...contextOptions });
    browser = context.browser();
  } else {
    browser = await chromium.launch(launch);
    context = await browser.newContext(contextOptions).catch(async (error: unknown) => {
      await browser?.close().catch(() => undefined);
      throw error;
    });
  }
  return withPage(browser ?? undefined, context);
}

/** The session for `context`: its first page, default timeouts, an idempotent close. */
async function withPage(browser: Browser | undefined, context: BrowserContext): Promise<BrowserSession> {
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
  };
  try {
    // A locator's wait or action without its own timeout: VS Code's UI at load 20 may take this long.
    context.setDefaultTimeout(60_000);
    context.setDefaultNavigationTimeout(60_000);
    const page = context.pages()[0] ?? (await context.newPage());
    return { browser, context, page, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Options for {@link openWorkbench} / {@link waitForWorkbench}. */
export interface WorkbenchWaitOptions {
  /** Also wait for our status-bar item, i.e. for the extension to be activated (default true). */
  readonly waitForExtension?: boolean;
  /** Milliseconds to wait (default 90 s: 2 slow cores, first load compiles a lot of JS). */
  readonly timeoutMs?: number;
}

/**
 * Opens the workbench at `url` (the base URL of code-server) on `folder`, and waits until the
 * workbench is drawn and the Switchyard status-bar item shows (the extension activated).
 * Returns the milliseconds it took.
 */
export async function openWorkbench(
  page: Page,
  url: string,
  folder: string,
  options: WorkbenchWaitOptions = {},
): Promise<number> {
  const started = Date.now();
  const target = new URL(url);
  target.searchParams.set('folder', folder);
  await page.goto(target.toString(), { waitUntil: 'domcontentloaded', timeout: options.timeoutMs ?? 90_000 });
  await waitForWorkbench(page, options);
  return Date.now() - started;
}

/** Waits for `.monaco-workbench` and (by default) for the Switchyard status-bar item. */
export async function waitForWorkbench(page: Page, options: WorkbenchWaitOptions = {}): Promise<void> {
  const timeout = options.timeoutMs ?? 90_000;
  await page.locator(SEL.workbench).first().waitFor({ state: 'visible', timeout });
  if (options.waitForExtension ?? true) {
    await page.locator(SEL.modelStatusItem).waitFor({ state: 'visible', timeout });
  }
}
