/**
 * A local OpenRouter for tests (shared/openrouter-contract.md §0–8): models, endpoints, chat
 * completions (streaming and not) with scripted faults and `models` fallback, key info, credits,
 * generations, and the OAuth PKCE page and exchange. Listens on 127.0.0.1 only, records every
 * request, and can be scripted from another process through `/__control/` (see control.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentLedger, type AgentScript } from './agent';
import { creditsRoute, generationRoute, keyRoute } from './account';
import { defaultCatalogue, type Catalogue } from './catalogue';
import { handleChat, type ChatSettings, type RecordedRequest } from './chat';
import { DEFAULT_COMPLETION_SCRIPT, type CompletionScript } from './completions';
import { handleControl, type ControlTarget } from './control';
import { sendError } from './errors';
import { FaultBook, type Fault } from './faults';
import { GenerationStore, type Generation } from './generations';
import { FakePromptCache } from './promptCache';
import { asRecord, flatHeaders, parseBody, readBody } from './http';
import { KeyRegistry, type KeyConfig } from './keys';
import { listEndpoints, listModels } from './models';
import { DEFAULT_CODE_TTL_MS, OAuthServer } from './oauth';

export type { Attempt, ChatSettings, RecordedRequest } from './chat';
export type { CompletionScript, ScriptedInsertion } from './completions';
export type { Catalogue, WireEndpoint, WireModel } from './catalogue';
export { FIXTURE_MODELS, QUIRK_IDS, generateCatalogue } from './catalogue';
export type { Fault, FaultKind } from './faults';
export type { Generation } from './generations';
export type { KeyConfig, KeyInfo, KeyStatus } from './keys';

/** Options of `startFakeOpenRouter`. */
export interface FakeOptions {
  /** Port on 127.0.0.1 (default 0 = any free port). */
  readonly port?: number;
  /** Delay before each streamed content chunk, ms (default 5). */
  readonly tokenDelayMs?: number;
  /** Content chunks per answer (default: about three words each; `fake/long-writer`: 400). */
  readonly chunks?: number;
  /** Usage chunk form: `empty` = `choices:[]` (default), `choice` = one empty-delta choice. */
  /** Where the stream's usage goes: its own chunk (`empty` choices), a chunk with one choice, or `none` (no usage at all; `/generation` still has the cost). */
  readonly usageChunk?: 'empty' | 'choice' | 'none';
  /** Replace the catalogue (e.g. `generateCatalogue(400, 5)`). */
  readonly catalogue?: Catalogue;
  /** Lifetime of OAuth codes (default 10 min). */
  readonly oauthCodeTtlMs?: number;
  /** `/generation` answers 404 for this long after a completion (default 0). */
  readonly generationLagMs?: number;
  /** Log each request to stderr. */
  readonly verbose?: boolean;
  /** How inline-completion prompts are answered: scripted insertions and a latency (completions.ts). */
  readonly completions?: Partial<CompletionScript>;
}

/** A running fake. */
export interface FakeOpenRouter {
  /** Origin, e.g. `http://127.0.0.1:41234` (the OAuth page `/auth` lives here). */
  readonly url: string;
  /** `${url}/api/v1`: what `switchyard.baseUrl` points at. */
  readonly baseUrl: string;
  /** Every request except control ones, oldest first (live array). */
  readonly requests: RecordedRequest[];
  readonly catalogue: Catalogue;
  readonly keys: KeyRegistry;
  readonly oauth: OAuthServer;
  readonly generations: GenerationStore;
  /** Forgets recorded requests. */
  clearRequests(): void;
  /** Recorded `POST /chat/completions` requests. */
  chatRequests(): RecordedRequest[];
  /** Faults for a model (`*` = any model without its own): one for every request, a list for successive requests, `undefined` to clear. */
  setFault(model: string, fault: Fault | readonly Fault[] | undefined): void;
  /** Configures keys (merged); with `only`, unlisted keys get 401. */
  setKeys(keys: Readonly<Record<string, KeyConfig>>, options?: { readonly only?: boolean }): void;
  /** Changes answer settings (token delay, chunk count, usage chunk form) from now on. */
  setOptions(options: Partial<ChatSettings>): void;
  /** Changes how inline-completion prompts are answered (scripted insertions, latency) from now on. */
  setCompletions(script: Partial<CompletionScript>): void;
  /** Scripts a tool-using model for requests with `tools` (agent.ts); `undefined` clears it. */
  setAgentScript(script: AgentScript | undefined): void;
  /** The generation with this id, if served. */
  generation(id: string): Generation | undefined;
  /** Faults, keys, settings, codes, generations and requests back to how they started. */
  reset(): void;
  /** Stops listening, ends hung and streaming responses, clears every timer. Idempotent. */
  close(): Promise<void>;
}

function initialSettings(options: FakeOptions): ChatSettings {
  return {
    tokenDelayMs: options.tokenDelayMs ?? 5,
    chunks: options.chunks,
    usageChunk: options.usageChunk ?? 'empty',
    answer: undefined,
    completions: { ...DEFAULT_COMPLETION_SCRIPT, ...options.completions },
    agentScript: undefined,
    reasoning: undefined,
  };
}

/** Starts a fake OpenRouter on 127.0.0.1. */
export async function startFakeOpenRouter(options: FakeOptions = {}): Promise<FakeOpenRouter> {
  const catalogue = options.catalogue ?? defaultCatalogue();
  const faults = new FaultBook();
  const keys = new KeyRegistry();
  const oauth = new OAuthServer(options.oauthCodeTtlMs ?? DEFAULT_CODE_TTL_MS);
  const generations = new GenerationStore(options.generationLagMs ?? 0);
  const requests: RecordedRequest[] = [];
  const settings = initialSettings(options);
  const closing = new AbortController();
  let agentLedger = new AgentLedger();
  const promptCache = new FakePromptCache();
  const chatContext = {
    catalogue,
    faults,
    keys,
    generations,
    settings,
    closing: closing.signal,
    agentLedger: () => agentLedger,
    promptCache,
  };

  const control: ControlTarget = {
    requests,
    faults,
    keys,
    oauth,
    generations,
    setOptions: (changes) => {
      if ('agentScript' in changes) agentLedger = new AgentLedger();
      Object.assign(settings, changes);
    },
    setCompletions: (script) => {
      settings.completions = { ...settings.completions, ...script };
    },
    clearRequests: () => {
      requests.length = 0;
    },
    reset: () => {
      faults.clear();
      keys.reset();
      oauth.reset();
      generations.clear();
      promptCache.clear();
      requests.length = 0;
      agentLedger = new AgentLedger();
      Object.assign(settings, initialSettings(options));
    },
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const body = parseBody(await readBody(req), req.headers['content-type']);
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path.startsWith('/__control/')) return handleControl(res, method, path, url.searchParams, body, control);

    const record: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: flatHeaders(req),
      body,
      time: Date.now(),
    };
    requests.push(record);
    res.on('finish', () => {
      record.status = res.statusCode;
    });
    res.on('close', () => {
      record.closed = true;
    });
    if (options.verbose) console.error(`[fake-openrouter] ${method} ${url.pathname}${url.search}`);

    if (path === '/auth' && method === 'GET') return oauth.page(res, url.searchParams);
    if (path === '/auth/authorize' && method === 'GET')
      return oauth.authorize(res, Object.fromEntries(url.searchParams));
    if (path === '/auth/authorize' && method === 'POST') return oauth.authorize(res, asRecord(body));
    const api = path.startsWith('/api/v1/') || path === '/api/v1' ? path.slice('/api/v1'.length) || '/' : undefined;
    if (api === undefined) return sendError(res, 404, `Not found: ${method} ${path}`, { error_type: 'not_found' });

    const endpointsMatch = /^\/models\/([^/]+\/[^/]+)\/endpoints$/.exec(api);
    if (method === 'GET' && api === '/models') return listModels(res, catalogue, url.searchParams);
    if (method === 'GET' && endpointsMatch)
      return listEndpoints(
        res,
        catalogue,
        decodeURIComponent(endpointsMatch[1]!),
        keys.check(req.headers.authorization).ok,
      );
    if (method === 'POST' && api === '/auth/keys') return oauth.exchange(res, body);
    if (method === 'POST' && api === '/chat/completions') return handleChat(req, res, body, record, chatContext);

    const auth = keys.check(req.headers.authorization);
    const authed = (fn: (key: string) => void): void =>
      auth.ok ? fn(auth.key) : sendError(res, auth.status, auth.message);
    if (method === 'GET' && api === '/key') return authed((key) => keyRoute(res, keys, key));
    if (method === 'GET' && api === '/credits') return authed((key) => creditsRoute(res, keys, key));
    if (method === 'GET' && api === '/generation')
      return authed(() => generationRoute(res, generations, url.searchParams.get('id')));
    return sendError(res, 404, `Not found: ${method} ${path}`, { error_type: 'not_found' });
  };

  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, `fake-openrouter crashed: ${String(error)}`, { error_type: 'server' });
      else res.destroy();
    });
  });
  // Long enough that a pooled connection is never closed just as a client reuses it (a race
  // that shows up as "fetch failed" on a loaded machine); close() ends every connection anyway.
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let closed: Promise<void> | undefined;
  return {
    url,
    baseUrl: `${url}/api/v1`,
    requests,
    catalogue,
    keys,
    oauth,
    generations,
    clearRequests: control.clearRequests,
    chatRequests: () => requests.filter((r) => r.path.endsWith('/chat/completions')),
    setFault: (model, fault) => faults.set(model, fault),
    setKeys: (k, o) => keys.setKeys(k, o),
    setOptions: control.setOptions,
    setCompletions: control.setCompletions,
    setAgentScript: (script) => control.setOptions({ agentScript: script }),
    generation: (id) => generations.get(id),
    reset: control.reset,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
