/**
 * A session's browser on a lane (laneChromium.ts): a CDP connection to the lane's long-lived
 * Chromium, its one kept tab, and the origin's storage cleared — what a fresh browser context
 * gave a session before, without paying for a cold renderer and code cache on every window.
 *
 * What could leak from one session to the next, and where it goes:
 * - code-server's state in the browser (SecretStorage, globalState and workspace state in
 *   IndexedDB and localStorage, cookies, Cache Storage, the webviews' service worker): cleared
 *   for the lane's origin (webviews are served from it too) before the window opens;
 * - popups and extra tabs an earlier session opened (sign-in pages): closed;
 * - whatever a test attached to `page` or `context` (listeners, routes, `exposeBinding`, init
 *   scripts, emulation): all of it lives in this session's CDP connection, which `close()` ends
 *   (each session connects anew, so no Playwright object outlives it);
 * - permissions: reset, then clipboard access granted as for a fresh context.
 * The workbench itself uses no sessionStorage, so the kept tab's carries nothing.
 * `E2E_LANE_PAGE=new` opens a new tab per session instead of the kept one (and closes it after).
 */
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { VIEWPORT, type BrowserSession } from './browser';

/** How a session uses its lane's Chromium: the kept tab (default) or a tab of its own. */
export type LanePageMode = 'keep' | 'new';

export function lanePageMode(): LanePageMode {
  return process.env.E2E_LANE_PAGE === 'new' ? 'new' : 'keep';
}

/** Clears everything the origin keeps in the browser; resets permissions to a fresh context's. */
async function forgetOrigin(context: BrowserContext, tab: Page, origin: string): Promise<void> {
  // Sent through a tab: the browser target's Storage domain answers "Internal error".
  const cdp = await context.newCDPSession(tab);
  try {
    await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
  } finally {
    await cdp.detach().catch(() => undefined);
  }
  await context.clearCookies();
  await context.clearPermissions();
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
}

/**
 * Closes every tab but the first (the kept one), which goes to about:blank. Returns whether an
 * earlier session had left anything open (a test process killed mid-scenario): its window's
 * extension host is then still ending.
 */
async function parkTabs(context: BrowserContext): Promise<{ keeper: Page; leftOpen: boolean }> {
  const [first, ...extra] = context.pages();
  let leftOpen = extra.length > 0;
  for (const page of extra) await page.close({ runBeforeUnload: false }).catch(() => undefined);
  let keeper = first ?? (await context.newPage());
  if (keeper.url() !== 'about:blank') {
    leftOpen = true;
    const parked = await keeper.goto('about:blank', { timeout: 15_000 }).then(
      () => true,
      () => false, // a page that will not go (a dialog, a hung renderer): a new tab instead
    );
    if (!parked) {
      const stuck = keeper;
      keeper = await context.newPage();
      await stuck.close({ runBeforeUnload: false }).catch(() => undefined);
    }
  }
  return { keeper, leftOpen };
}

/** Options for {@link connectLaneBrowser}. */
export interface LaneBrowserOptions {
  /** The lane's code-server origin, e.g. `http://127.0.0.1:41234`. */
  readonly origin: string;
  readonly mode?: LanePageMode;
  /** Called when an earlier session had left a window open (after it was closed). */
  readonly afterLeftOpen?: () => Promise<void>;
}

/** Connects to the lane's Chromium and readies a clean tab for one session. */
export async function connectLaneBrowser(cdpEndpoint: string, options: LaneBrowserOptions): Promise<BrowserSession> {
  const browser = await chromium.connectOverCDP(cdpEndpoint, { timeout: 60_000 });
  const mode = options.mode ?? lanePageMode();
  let page: Page | undefined;
  let closed = false;
  // Ends this session's connection; the lane's browser, profile and kept tab stay for the next.
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    if (mode === 'new') await page?.close({ runBeforeUnload: false }).catch(() => undefined);
    await browser.close().catch(() => undefined);
  };
  try {
    const context = browser.contexts()[0];
    if (!context) throw new Error('the lane Chromium has no default context');
    context.setDefaultTimeout(30_000);
    context.setDefaultNavigationTimeout(60_000);
    const { keeper, leftOpen } = await parkTabs(context);
    if (leftOpen) await options.afterLeftOpen?.();
    await forgetOrigin(context, keeper, options.origin);
    page = mode === 'keep' ? keeper : await context.newPage();
    // As a fresh context's viewport; the emulation ends with this session's connection.
    await page.setViewportSize({ ...VIEWPORT });
    // Playwright emulates "no-preference" unless told otherwise; the browser's own flags rule (chromiumArgs).
    await page.emulateMedia({ reducedMotion: null });
    return { browser, context, page, close };
  } catch (error) {
    await close();
    throw error;
  }
}
