/**
 * The browser of a session on a lane: Chromium launched for that session with a FRESH profile
 * (fresh cookies, IndexedDB, local storage, service workers — VS Code's SecretStorage and
 * globalState in code-server) and the lane's disk cache (`--disk-cache-dir`), which outlives it.
 *
 * A fresh context in a shared Chromium (what a session had before) starts with an empty cache,
 * so every window downloaded and compiled the whole workbench again. With the lane's cache a
 * later window reads the scripts and V8's compiled code from disk: measured on the 2-core machine
 * (load ≈ 24, one code-server, six windows each, the window's Chromium CPU until the workbench
 * and our status item show) 15.6–19.3 s for a fresh context against 5.7–8.2 s from the third
 * window on here, for ≈ 1 s to launch Chromium per session.
 *
 * The cache is only what the server sent (the workbench's scripts, styles, our webview's files
 * as of this `.vsix`), so a scenario sees nothing of an earlier one's state. One Chromium may use
 * a cache folder at a time: a lane serves one test process at a time (lanes.ts), and a second
 * session open at once in that process gets a fresh context in the run's shared Chromium instead.
 */
import { connectBrowser, launchBrowser, type BrowserSession, type LaunchOptions } from './browser';
import type { SharedServer } from './sharedServer';

let cacheInUse = false;

/** Chromium for a session on `lane` (see the module comment). */
export async function laneBrowser(lane: SharedServer, options: LaunchOptions): Promise<BrowserSession> {
  if (!lane.browserCacheDir || cacheInUse) {
    if (!lane.browserWsEndpoint) return launchBrowser(options);
    return connectBrowser(lane.browserWsEndpoint, options);
  }
  cacheInUse = true;
  try {
    const b = await launchBrowser({ ...options, diskCacheDir: lane.browserCacheDir });
    let released = false;
    return {
      ...b,
      close: async () => {
        await b.close();
        if (released) return;
        released = true;
        cacheInUse = false;
      },
    };
  } catch (error) {
    cacheInUse = false;
    throw error;
  }
}
