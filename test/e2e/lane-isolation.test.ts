/**
 * Two sessions one after another, as two scenarios on one lane meet them (harness/laneBrowser.ts):
 * the second must see nothing of the first, though its window is drawn by the same long-lived
 * Chromium (under test/e2e/run.ts, in the same kept tab). The first saves an API key as a person
 * does, leaves state in the origin's storage and cookies, opens a popup and attaches to the page
 * and context what scenarios attach (an init script, a binding, routes, listeners); the second
 * then finds an empty key pool, none of that state, one tab, and code-server's own answer where
 * the first had routed a request.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withSwitchyard, type SwitchyardSession } from './harness/session';
import { waitForNotification } from './harness/notifications';
import { runCommand, typeIntoQuickInput } from './harness/quickInput';

const KEY_FIRST = 'sk-or-v1-e2e-lane-first-0123456789abcaaa';
const KEY_SECOND = 'sk-or-v1-e2e-lane-second-0123456789abcbbb';
const ROUTED = '/lane-isolation-routed';

interface Leftovers {
  readonly initScript: unknown;
  readonly binding: string;
  readonly localStorage: string | null;
  readonly cookie: string;
  readonly databases: string[];
  readonly routed: string;
}

/** What the page sees of the state a session may have left behind. */
function leftovers(s: SwitchyardSession): Promise<Leftovers> {
  return s.page.evaluate(async (routed) => {
    const w = window as unknown as Record<string, unknown>;
    const databases = (await indexedDB.databases()).map((d) => d.name ?? '');
    const response = await fetch(routed);
    return {
      initScript: w.__laneLeftover,
      binding: typeof w.__laneBinding,
      localStorage: localStorage.getItem('lane-leftover'),
      cookie: document.cookie,
      databases,
      routed: `${response.status} ${await response.text()}`,
    };
  }, ROUTED);
}

/** Set API Key with `key`; waits for the notification that names the label it was saved under. */
async function saveKey(s: SwitchyardSession, key: string): Promise<string> {
  await runCommand(s.page, 'Switchyard: Set API Key');
  await typeIntoQuickInput(s.page, key, { password: true, expectClose: false });
  return waitForNotification(s.page, /API key saved/);
}

/** The first session's mess: a saved key, storage, a cookie, a popup and page/context hooks. */
async function leaveEverythingBehind(s: SwitchyardSession): Promise<void> {
  assert.match(await saveKey(s, KEY_FIRST), /sk-or-v1-e2e…aaa, "API key"/);
  await s.page.addInitScript(() => Object.assign(window, { __laneLeftover: 'init script' }));
  await s.page.exposeBinding('__laneBinding', () => 'binding');
  await s.page.route(`**${ROUTED}`, (route) => route.fulfill({ status: 200, body: 'from the first session' }));
  await s.browser.context.route(`**${ROUTED}`, (route) => route.fulfill({ status: 200, body: 'from its context' }));
  s.page.on('console', () => undefined);
  s.browser.context.on('request', () => undefined);
  await s.page.evaluate(async () => {
    localStorage.setItem('lane-leftover', 'localStorage');
    document.cookie = 'laneLeftover=1; max-age=3600';
    await new Promise((resolve, reject) => {
      const open = indexedDB.open('lane-leftover-db');
      open.onsuccess = () => resolve(open.result.close());
      open.onerror = () => reject(open.error);
    });
  });
  const popup = s.browser.context.waitForEvent('page');
  await s.page.evaluate(() => window.open('about:blank#lane-popup', '_blank'));
  await popup;
  // The first session did see its own state, so the second's "none" means something.
  await s.page.reload({ waitUntil: 'domcontentloaded' });
  const own = await leftovers(s);
  assert.equal(own.initScript, 'init script');
  assert.equal(own.binding, 'function');
  assert.equal(own.localStorage, 'localStorage');
  assert.match(own.cookie, /laneLeftover=1/);
  assert.ok(own.databases.includes('lane-leftover-db'), JSON.stringify(own.databases));
  assert.equal(own.routed, '200 from the first session');
}

describe('a lane gives each session a clean browser', () => {
  it(
    'the next session sees no key, storage, cookie, popup, init script, binding or route of the one before',
    { timeout: 600_000 },
    async () => {
      let firstUrl = '';
      await withSwitchyard({ failureName: 'lane-isolation-first' }, async (s) => {
        firstUrl = s.codeServer.url;
        await leaveEverythingBehind(s);
      });
      await withSwitchyard({ failureName: 'lane-isolation-second' }, async (s) => {
        if (s.codeServer.url === firstUrl) console.log('[lane-isolation] both sessions ran on the same lane');
        assert.equal(s.browser.context.pages().length, 1, 'the popup was closed');
        const left = await leftovers(s);
        assert.equal(left.initScript, undefined, 'no init script of the first session');
        assert.equal(left.binding, 'undefined', 'no binding of the first session');
        assert.equal(left.localStorage, null, 'localStorage cleared');
        assert.doesNotMatch(left.cookie, /laneLeftover/, 'cookies cleared');
        assert.ok(!left.databases.includes('lane-leftover-db'), `IndexedDB cleared: ${JSON.stringify(left.databases)}`);
        assert.doesNotMatch(left.routed, /first session|its context/, 'no route of the first session');
        // SecretStorage (kept in the browser by code-server) is empty: the key is the pool's first.
        assert.match(await saveKey(s, KEY_SECOND), /sk-or-v1-e2e…bbb, "API key"/);
        await s.screenshot('lane-isolation-second');
      });
    },
  );
});
