/**
 * An MCP server's own secrets (the `env` and header values the user configured for it) reached the
 * model, the cards and the transcript whenever the server echoed them: in a failed call's text, a
 * structured result, a tool's description, a resource, a prompt's error. Only the general key
 * patterns applied, and those do not know a password such as `hunter2x`. Every answer of the
 * connection now passes through the server's own redaction (src/mcp/serverReplies.ts), the same
 * one its log uses (src/mcp/serverSecrets.ts `serverText`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { McpServerConfig } from '../../src/mcp/config';
import { flattenResult } from '../../src/mcp/results';
import { redactedReplies, type ServerReplies } from '../../src/mcp/serverReplies';
import { serverText } from '../../src/mcp/serverSecrets';
import { connectServer, type McpConnection } from '../../src/vscode/mcp/runtime';
import { stdioLaunch } from '../mcp/launch';

const SECRETS = { SHOP_PASSWORD: 'hunter2x', SHOP_PIN: 's3cr3t!', SHOP_TOKEN: 'tok_9f8e7d6c5b4a39281706' };
const config: McpServerConfig = {
  name: 'shop',
  source: 'user',
  transport: 'stdio',
  ...stdioLaunch(),
  env: { MCP_TEST_LEAK: '1', ...SECRETS },
};
const signal = new AbortController().signal;
const noSecret = (text: string, where: string): void => {
  for (const secret of Object.values(SECRETS)) assert.ok(!text.includes(secret), `${where}: ${text}`);
  assert.match(text, /\[redacted\]/, where);
};
const rejection = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('expected a rejection');
};

describe("a server's answers reach Switchyard with its own secrets redacted (a real stdio server)", () => {
  let raw: McpConnection;
  let c: McpConnection;
  before(async () => {
    raw = await connectServer(config, undefined, {
      log: () => undefined,
      toolsChanged: () => undefined,
      closed: () => undefined,
    });
    c = redactedReplies(raw, (text) => serverText(text, config));
  });
  after(() => raw.close());

  it('the server does echo them (the test would prove nothing otherwise)', async () => {
    const text = flattenResult(await raw.call('whoami', { fail: true }, signal)).text;
    assert.ok(text.includes('hunter2x') && text.includes('s3cr3t!'), text);
  });

  it('a failed call: the error text the server sends back', async () => {
    const result = flattenResult(await c.call('whoami', { fail: true }, signal));
    assert.equal(result.ok, false);
    noSecret(result.text, 'failed call');
  });

  it('a structured result', async () => {
    noSecret(flattenResult(await c.call('whoami', { fail: false }, signal)).text, 'structured result');
  });

  it("a tool's description, its name kept for the call", () => {
    const tool = c.tools.find((t) => t.name === 'whoami');
    assert.ok(tool);
    noSecret(tool.description ?? '', 'description');
  });

  it("a resource's text, its URI kept", async () => {
    const [content] = await c.readResource('leak://env');
    assert.equal(content?.uri, 'leak://env');
    noSecret(content?.text ?? '', 'resource');
  });

  it("a prompt's error (a rejection) and its description", async () => {
    noSecret(await rejection(c.getPrompt('leaky', {})), 'prompt error');
    noSecret(c.prompts.find((p) => p.name === 'leaky')?.description ?? '', 'prompt description');
  });
});

describe('a remote server: header values, a bearer token and URL query values', () => {
  const remote: McpServerConfig = {
    name: 'docs',
    source: 'user',
    transport: 'http',
    url: 'https://mcp.example.com/mcp?key=qk_55aa66bb',
    headers: { Authorization: 'Bearer plainword77', 'X-Team': 'teamsecret1' },
  };
  const echo = (text: string): ServerReplies => ({
    tools: [{ name: 'search', description: text }],
    resources: [],
    prompts: [],
    call: async () => ({ content: [{ type: 'text', text }], isError: true }),
    readResource: async (uri) => [{ uri, text }],
    getPrompt: async () => Promise.reject(new Error(text)),
  });
  for (const leaked of ['plainword77', 'teamsecret1', 'qk_55aa66bb'])
    it(`${leaked}: in a result, a resource, a prompt error and a description`, async () => {
      const c = redactedReplies(echo(`denied for ${leaked}`), (t) => serverText(t, remote));
      const texts = [
        flattenResult(await c.call('search', {}, signal)).text,
        (await c.readResource('r://x'))[0]!.text!,
        await rejection(c.getPrompt('p', {})),
        (c.tools[0] as { description: string }).description,
      ];
      for (const t of texts) assert.equal(t, 'denied for [redacted]');
    });

  it("keeps an image's base64 bytes and the names a call sends back", async () => {
    const data = Buffer.from('plainword77 plainword77').toString('base64');
    const image: ServerReplies = {
      ...echo('x'),
      call: async () => ({ content: [{ type: 'image', mimeType: 'image/png', data }] }),
    };
    const c = redactedReplies(image, (t) => serverText(t, remote));
    const result = await c.call('search', {}, signal);
    assert.equal((result.content?.[0] as { data: string }).data, data);
  });
});
