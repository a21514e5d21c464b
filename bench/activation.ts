/**
 * Activation time as the extension logs it ("Switchyard <v> activated in <ms> ms", measured inside
 * `activate`), read from its output-channel log in a real VS Code (code-server, e2e harness):
 * the first start, then a window reload per further sample (each starts a new extension host).
 * Also counts what activation fetched from the (fake) OpenRouter: nothing, when it is lazy.
 */
import { activations, readExtensionLog, waitForActivation } from '../test/e2e/harness/logs';
import { startSwitchyard } from '../test/e2e/harness/session';
import { reloadWindow } from '../test/e2e/harness/workbench';
import { median, percentile } from './stats';

export interface ActivationResult {
  readonly samples: readonly number[];
  readonly p50Ms: number;
  readonly maxMs: number;
  readonly requestsAtActivation: number;
}

export async function benchActivation(reloads = 4): Promise<ActivationResult> {
  const s = await startSwitchyard({});
  try {
    await waitForActivation(s.codeServer.userDataDir, 60_000);
    const requestsAtActivation = s.fake?.requests.length ?? 0;
    for (let i = 0; i < reloads; i++) {
      const before = activations(readExtensionLog(s.codeServer.userDataDir)).length;
      await reloadWindow(s.page);
      for (let t = 0; t < 240 && activations(readExtensionLog(s.codeServer.userDataDir)).length <= before; t++)
        await new Promise((r) => setTimeout(r, 250));
    }
    const samples = activations(readExtensionLog(s.codeServer.userDataDir)).map((a) => a.ms);
    return { samples, p50Ms: median(samples), maxMs: percentile(samples, 100), requestsAtActivation };
  } finally {
    await s.close();
  }
}
