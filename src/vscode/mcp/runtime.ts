/**
 * The MCP client (the official `@modelcontextprotocol/sdk`) — its own bundle, `dist/mcp.js`,
 * required on the first agent task that has servers (src/vscode/mcp/lazy.ts), never at
 * activation. Transports: stdio (the process gets the SDK's minimal environment — HOME, PATH,
 * SHELL, TERM, USER, LOGNAME — plus the definition's explicit `env`, so no key of the user's
 * environment reaches it), Streamable HTTP falling back to SSE when the server answers the
 * initialize POST with a 4xx, and SSE alone for `"type": "sse"`.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { auth, UnauthorizedError, type AuthResult } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerConfig } from '../../mcp/config';
import type { McpOAuthProvider } from '../../mcp/oauth';
import type { McpCallResult } from '../../mcp/results';
import type { ServerReplies } from '../../mcp/serverReplies';
import type { ResourceContent } from '../../mcp/resources';
import type { McpToolInfo } from '../../mcp/toolCatalog';
export { checkArguments } from '../../mcp/validate';

export interface McpResourceInfo {
  readonly uri: string;
  readonly name: string;
  readonly mimeType?: string;
  readonly description?: string;
}

export interface McpPromptInfo {
  readonly name: string;
  readonly description?: string;
  readonly arguments: readonly { readonly name: string; readonly required?: boolean; readonly description?: string }[];
}

export interface McpConnectionHooks {
  /** A line of the server's stderr or of the client (for the server's log). */
  log(line: string): void;
  /** The server's tools changed (`notifications/tools/list_changed`, re-listed). */
  toolsChanged(tools: readonly McpToolInfo[]): void;
  /** The connection ended (a crash, the server closed it). Not called after `close()`. */
  closed(reason: string): void;
  /** OAuth for a remote server that asks for it (src/mcp/oauth.ts); quiet or interactive. */
  readonly authProvider?: McpOAuthProvider;
}

/** A running server: what it offers, and its calls (`readResource`: text entries with their text, binary ones without). */
export interface McpConnection extends ServerReplies {
  readonly tools: readonly McpToolInfo[];
  readonly resources: readonly McpResourceInfo[];
  readonly prompts: readonly McpPromptInfo[];
  close(): Promise<void>;
}

const CALL_TIMEOUT_MS = 120_000;

/**
 * Runs the SDK's OAuth flow for a remote server: refreshes or (interactive provider) opens the
 * authorization page ('REDIRECT'); with the callback's `code`, exchanges it for tokens.
 */
export function authorize(provider: McpOAuthProvider, serverUrl: string, code?: string): Promise<AuthResult> {
  return auth(provider, { serverUrl, ...(code ? { authorizationCode: code } : {}) });
}

/** Whether a failed connection needs the user to sign in (the server answered 401 and no token did). */
export function needsSignIn(error: unknown, provider: McpOAuthProvider | undefined): boolean {
  return !!provider && (provider.signInNeeded || error instanceof UnauthorizedError);
}

/** Connects, initializes and lists tools, resources and prompts. Rejects with the reason (stderr's last lines included). */
export async function connectServer(
  config: McpServerConfig,
  cwd: string | undefined,
  hooks: McpConnectionHooks,
): Promise<McpConnection> {
  let closing = false;
  const client = new Client(
    { name: 'switchyard', version: '0.1.0' },
    {
      capabilities: {},
      listChanged: {
        tools: {
          onChanged: (error, tools) =>
            error
              ? hooks.log(`could not re-list tools: ${error.message}`)
              : hooks.toolsChanged((tools ?? []) as McpToolInfo[]),
        },
      },
    },
  );
  // The client's own callback: the transport's belongs to the protocol (it rejects pending calls).
  client.onclose = () => {
    if (!closing) hooks.closed(exitReason() ?? 'the server closed the connection');
  };
  let exitReason: () => string | undefined = () => undefined;
  await open(client, config, cwd, hooks, (why) => (exitReason = why));
  const { tools, resources, prompts } = await listOffers(client);
  return {
    tools,
    resources,
    prompts,
    call: async (tool, args, signal) =>
      (await client.callTool({ name: tool, arguments: args }, undefined, {
        signal,
        timeout: CALL_TIMEOUT_MS,
      })) as McpCallResult,
    readResource: (uri) => readResourceContents(client, uri),
    getPrompt: (name, args) => promptText(client, name, args),
    close: async () => {
      closing = true;
      await client.close().catch(() => undefined);
    },
  };
}

/** What the server offers: its tools, and (when it has them) its resources and prompts. */
async function listOffers(client: Client): Promise<Pick<McpConnection, 'tools' | 'resources' | 'prompts'>> {
  const caps = client.getServerCapabilities() ?? {};
  const tools = caps.tools ? ((await client.listTools()).tools as McpToolInfo[]) : [];
  const resources = caps.resources
    ? (await client.listResources().catch(() => ({ resources: [] }))).resources.map((r) => ({
        uri: r.uri,
        name: r.name,
        ...(r.mimeType ? { mimeType: r.mimeType } : {}),
        ...(r.description ? { description: r.description } : {}),
      }))
    : [];
  const prompts = caps.prompts
    ? (await client.listPrompts().catch(() => ({ prompts: [] }))).prompts.map((p) => ({
        name: p.name,
        ...(p.description ? { description: p.description } : {}),
        arguments: p.arguments ?? [],
      }))
    : [];
  return { tools, resources, prompts };
}

/** `resources/read`'s contents: text entries with their text, binary ones without. */
async function readResourceContents(client: Client, uri: string): Promise<ResourceContent[]> {
  const r = await client.readResource({ uri }, { timeout: CALL_TIMEOUT_MS });
  return r.contents.map((c) => ({
    uri: c.uri,
    ...(c.mimeType ? { mimeType: c.mimeType } : {}),
    ...('text' in c && typeof c.text === 'string' ? { text: c.text } : {}),
  }));
}

/** A prompt's messages as text (embedded text resources inlined, other content named). */
async function promptText(client: Client, name: string, args: Record<string, string>): Promise<string> {
  const r = await client.getPrompt({ name, arguments: args });
  return r.messages
    .map((m) =>
      m.content.type === 'text'
        ? m.content.text
        : m.content.type === 'resource' && 'text' in m.content.resource
          ? String(m.content.resource.text)
          : `[${m.content.type}]`,
    )
    .join('\n\n');
}

async function open(
  client: Client,
  config: McpServerConfig,
  cwd: string | undefined,
  hooks: McpConnectionHooks,
  onExitReason: (why: () => string | undefined) => void,
): Promise<Transport> {
  if (config.transport === 'stdio') {
    const transport = new StdioClientTransport({
      command: config.command,
      args: [...config.args],
      env: { ...config.env },
      stderr: 'pipe',
      ...((config.cwd ?? cwd) ? { cwd: config.cwd ?? cwd } : {}),
    });
    const tail: string[] = [];
    transport.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        hooks.log(`[stderr] ${line}`);
        tail.push(line);
        if (tail.length > 5) tail.shift();
      }
    });
    onExitReason(() => (tail.length ? `the process ended (stderr: ${tail.join(' | ').slice(0, 400)})` : undefined));
    try {
      await client.connect(transport);
    } catch (error) {
      throw new Error(`${messageOf(error)}${tail.length ? ` (stderr: ${tail.join(' | ').slice(0, 400)})` : ''}`);
    }
    return transport;
  }
  const url = new URL(config.url);
  const requestInit = { headers: { ...config.headers } };
  const authProvider = hooks.authProvider;
  if (config.transport === 'sse') {
    const sse = new SSEClientTransport(url, { requestInit, ...(authProvider ? { authProvider } : {}) });
    await client.connect(sse);
    return sse;
  }
  try {
    const http = new StreamableHTTPClientTransport(url, { requestInit, ...(authProvider ? { authProvider } : {}) });
    await client.connect(http);
    return http;
  } catch (error) {
    if (needsSignIn(error, authProvider)) throw error;
    hooks.log(`Streamable HTTP failed (${messageOf(error)}); trying SSE`);
    const sse = new SSEClientTransport(url, { requestInit, ...(authProvider ? { authProvider } : {}) });
    await client.connect(sse);
    return sse;
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
