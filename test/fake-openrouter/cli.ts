/** `npm run fake-openrouter -- [--port N] [--verbose]`: the fake OpenRouter on its own. */
import { startFakeOpenRouter } from './server';

const args = process.argv.slice(2);
const portArg = args.indexOf('--port');
const port = Number(portArg >= 0 ? args[portArg + 1] : process.env.FAKE_OPENROUTER_PORT ?? 0);
async function main(): Promise<void> {
  const fake = await startFakeOpenRouter({ port, verbose: args.includes('--verbose') });
  console.log(`Fake OpenRouter listening on ${fake.baseUrl}`);
  console.log(`Set switchyard.baseUrl to ${fake.baseUrl} and use any key such as sk-or-v1-fake-demo.`);
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
