/**
 * `npm run fake-openrouter -- [--port N] [--verbose]`: the fake OpenRouter on its own, until
 * SIGINT/SIGTERM. Port: `--port`, else `FAKE_OPENROUTER_PORT`, else 0 (any free port).
 * Prints one line, `Fake OpenRouter listening on <baseUrl>`; with `--verbose`, one per request.
 * Any `sk-or-v1-…` key works; script it through `<origin>/__control/` (see control.ts).
 */
import { startFakeOpenRouter } from './server';

/** The port to listen on, from the arguments or the environment. */
function portFrom(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const i = args.indexOf('--port');
  const eq = args.find((a) => a.startsWith('--port='));
  const raw = i >= 0 ? args[i + 1] : eq ? eq.slice('--port='.length) : env.FAKE_OPENROUTER_PORT;
  const port = Number(raw ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${String(raw)}`);
  return port;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const fake = await startFakeOpenRouter({ port: portFrom(args, process.env), verbose: args.includes('--verbose') });
  console.log(`Fake OpenRouter listening on ${fake.baseUrl}`);
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`fake-openrouter: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
