/**
 * Activation time as the extension logs it ("Switchyard <v> activated in <ms> ms", measured inside
 * `activate`), read from its output-channel log in a real VS Code (code-server, e2e harness):
 * the first start, then a window reload per further sample (each starts a new extension host).
 * Also counts what activation fetched from the (fake) OpenRouter: nothing, when it is lazy.
 * After each start the chat view is shown (Ask mode, a new workspace's default) and its first show
 * is read from the same log ("chat view shown in ask mode: init posted <a> ms after ready, <b> ms
 * after resolve; instruction files <c> ms more"): the host's side, from the webview's `ready` to its
 * `init`, the whole, the webview's loading included, and the instruction files read after it; with
 * how many starts loaded the agent's chunk.
 */
import type { Page } from 'playwright-core';
import { activations, readExtensionLog, waitForActivation } from '../test/e2e/harness/logs';
import { startSwitchyard } from '../test/e2e/harness/session';
import { openChatView, reloadWindow } from '../test/e2e/harness/workbench';
import { median, percentile } from './stats';

export interface FirstShowResult {
  /** From the webview's `ready` to its `init` posted, ms (host side). */
  readonly readyP50Ms: number;
  readonly readyMaxMs: number;
  /** From the view's resolve to the `init` posted, ms (the webview's loading included). */
  readonly resolveP50Ms: number;
  /** After the `init`, until the instruction files were posted (file system reads), ms. */
  readonly instructionsP50Ms: number;
  readonly samples: number;
  /** Starts whose first show loaded dist/agent.js ("agent chunk loaded" in the log). */
  readonly agentChunkLoads: number;
}

export interface ActivationResult {
  readonly samples: readonly number[];
  readonly p50Ms: number;
  readonly maxMs: number;
  readonly requestsAtActivation: number;
  readonly firstShow: FirstShowResult;
}

const SHOWN_LINE =
  /chat view shown in \w+ mode: init posted (\d+(?:\.\d+)?) ms after ready, (\d+(?:\.\d+)?) ms after resolve; instruction files (\d+(?:\.\d+)?) ms more/;

function firstShows(log: string): { ready: number; resolve: number; instructions: number }[] {
  return log
    .split('\n')
    .map((line) => SHOWN_LINE.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ ready: Number(m[1]), resolve: Number(m[2]), instructions: Number(m[3]) }));
}

/** Shows the chat view and waits until the extension logged one more first show than `before`. */
async function showChat(page: Page, userDataDir: string, before: number): Promise<void> {
  await openChatView(page);
  for (let t = 0; t < 240 && firstShows(readExtensionLog(userDataDir)).length <= before; t++)
    await new Promise((r) => setTimeout(r, 250));
}

function firstShowResult(log: string): FirstShowResult {
  const shows = firstShows(log);
  const ready = shows.map((s) => s.ready);
  return {
    readyP50Ms: median(ready),
    readyMaxMs: percentile(ready, 100),
    resolveP50Ms: median(shows.map((s) => s.resolve)),
    instructionsP50Ms: median(shows.map((s) => s.instructions)),
    samples: shows.length,
    agentChunkLoads: log.split('\n').filter((l) => /agent chunk loaded/.test(l)).length,
  };
}

export async function benchActivation(reloads = 4): Promise<ActivationResult> {
  const s = await startSwitchyard({});
  try {
    const dir = s.codeServer.userDataDir;
    await waitForActivation(dir, 60_000);
    const requestsAtActivation = s.fake?.requests.length ?? 0;
    await showChat(s.page, dir, 0);
    for (let i = 0; i < reloads; i++) {
      const before = activations(readExtensionLog(dir)).length;
      await reloadWindow(s.page);
      for (let t = 0; t < 240 && activations(readExtensionLog(dir)).length <= before; t++)
        await new Promise((r) => setTimeout(r, 250));
      await showChat(s.page, dir, i + 1);
    }
    const log = readExtensionLog(dir);
    const samples = activations(log).map((a) => a.ms);
    return {
      samples,
      p50Ms: median(samples),
      maxMs: percentile(samples, 100),
      requestsAtActivation,
      firstShow: firstShowResult(log),
    };
  } finally {
    await s.close();
  }
}
