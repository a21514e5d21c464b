/**
 * A local OpenRouter for tests (shared/openrouter-contract.md §0–8): models, endpoints, chat
 * completions (streaming and not) with scripted faults, key info, credits, generations and the
 * OAuth PKCE pages. Listens on 127.0.0.1 only. Records every request it receives.
 *
 * Control API for tests in another process (e.g. code-server's extension host):
 *   POST /__control/faults   {model, faults: Fault | Fault[] | null}
 *   POST /__control/keys     {revoke?: key, restore?: key, outOfCredit?: key, info?: {key, data}}
 *   POST /__control/reset    clears faults, keys, requests
 *   GET  /__control/requests recorded requests as JSON
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultCatalogue, type Catalogue } from './catalogue';
import { handleChat, type ChatContext, type Generation, type RecordedRequest } from './chat';
import { FaultBook, type Fault } from './faults';
import { parseJson, readBody, sendError, sendJson } from './http';
import { KeyRegistry } from './keys';
import { OAuthServer } from './oauth';

export type { Fault } from './faults';
export type { RecordedRequest } from './chat';

export interface FakeOptions {
  /** Port on 127.0.0.1 (0 = any free port). */
  readonly port?: number;
  /** Milliseconds between streamed chunks (default 5). */
  readonly tokenDelayMs?: number;
  /** Replace the catalogue (e.g. `generateCatalogue(400, 5)`). */
  readonly catalogue?: Catalogue;
  /** Log each request to stderr. */
  readonly verbose?: boolean;
}

export interface FakeOpenRouter {
  /** Origin, e.g. `http://127.0.0.1:41234` (the OAuth page lives here). */
  readonly url: string;
  /** `${url}/api/v1`: what `switchyard.baseUrl` points at. */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  readonly keys: KeyRegistry;
  readonly oauth: OAuthServer;
  clearRequests(): void;
  /** Faults for a model: one for every request, a list for successive requests, `undefined` to clear. */
  setFault(model: string, fault: Fault | readonly Fault[] | undefined): void;
  /** Chat requests only. */
  chatRequests(): RecordedRequest[];
  close(): Promise<void>;
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export async function startFakeOpenRouter(options: FakeOptions = {}): Promise<FakeOpenRouter> {
  const catalogue = options.catalogue ?? defaultCatalogue();
  const faults = new FaultBook();
  const keys = new KeyRegistry();
  const oauth = new OAuthServer();
  const generations = new Map<string, Generation>();
  const requests: RecordedRequest[] = [];
  const closing = new AbortController();
  const ctx: ChatContext = { catalogue, faults, keys, generations, tokenDelayMs: options.tokenDelayMs ?? 5, closing: closing.signal };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = req.method === 'GET' ? '' : await readBody(req);
    const isForm = (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
    const body = isForm ? Object.fromEntries(new URLSearchParams(text)) : parseJson(text);
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const record: RecordedRequest = { method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams), headers: flatHeaders(req), body, time: Date.now() };
    if (!path.startsWith('/__control')) requests.push(record);
    if (options.verbose) console.error(`[fake-openrouter] ${record.method} ${url.pathname}${url.search}`);
    const api = path.startsWith('/api/v1') ? path.slice('/api/v1'.length) || '/' : undefined;

    if (path.startsWith('/__control')) return control(req, res, path, body);
    if (path === '/auth' && req.method === 'GET') return oauth.page(res, url.searchParams);
    if (path === '/auth/authorize' && req.method === 'POST') return oauth.authorize(res, new URLSearchParams(text));
    if (api === undefined) return sendError(res, 404, `Not found: ${path}`);

    if (api === '/models' && req.method === 'GET') {
      const param = url.searchParams.get('supported_parameters');
      const wanted = param ? param.split(',') : [];
      const data = wanted.length ? catalogue.models.filter((m) => Array.isArray(m.supported_parameters) && wanted.every((w) => (m.supported_parameters as string[]).includes(w))) : catalogue.models;
      return sendJson(res, 200, { data, total_count: data.length, links: { next: null } });
    }
    const endpointMatch = /^\/models\/(.+)\/endpoints$/.exec(api);
    if (endpointMatch && req.method === 'GET') {
      const id = decodeURIComponent(endpointMatch[1]!);
      const endpoints = catalogue.endpoints.get(id);
      const model = catalogue.models.find((m) => m.id === id);
      if (!endpoints || !model) return sendError(res, 404, `Model ${id} not found`, { error_type: 'not_found' });
      return sendJson(res, 200, { data: { id, name: model.name, created: model.created, description: model.description, architecture: model.architecture, endpoints } });
    }
    if (api === '/chat/completions' && req.method === 'POST') return handleChat(req, res, body, record, ctx);
    if (api === '/auth/keys' && req.method === 'POST') return oauth.exchange(res, body);

    const auth = keys.check(req.headers.authorization);
    if (!auth.ok) return sendError(res, 401, auth.message, { error_type: 'authentication' });
    if (api === '/key' && req.method === 'GET') return sendJson(res, 200, { data: keys.keyData(auth.key) });
    if (api === '/credits' && req.method === 'GET') {
      if (!auth.key.includes('mgmt')) return sendError(res, 403, 'Only management keys can fetch credits', { error_type: 'permission_denied' });
      return sendJson(res, 200, { data: { total_credits: 100.5, total_usage: 25.75 } });
    }
    if (api === '/generation' && req.method === 'GET') {
      const gen = generations.get(url.searchParams.get('id') ?? '');
      if (!gen) return sendError(res, 404, 'Generation not found', { error_type: 'not_found' });
      return sendJson(res, 200, { data: { ...gen, usage: gen.total_cost, is_byok: false, latency: 250, generation_time: 900, provider_responses: [{ provider_name: gen.provider_name, status: 200, latency: 250 }] } });
    }
    return sendError(res, 404, `Not found: ${path}`);
  };

  const control = (req: IncomingMessage, res: ServerResponse, path: string, body: unknown): void => {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (path === '/__control/requests') return sendJson(res, 200, requests);
    if (path === '/__control/reset') {
      faults.clear();
      keys.reset();
      oauth.reset();
      requests.length = 0;
      return sendJson(res, 200, { ok: true });
    }
    if (path === '/__control/faults' && typeof b.model === 'string') {
      faults.set(b.model, (b.faults ?? undefined) as Fault | Fault[] | undefined);
      return sendJson(res, 200, { ok: true });
    }
    if (path === '/__control/keys') {
      if (typeof b.revoke === 'string') keys.revoke(b.revoke);
      if (typeof b.restore === 'string') keys.restore(b.restore);
      if (typeof b.outOfCredit === 'string') keys.setOutOfCredit(b.outOfCredit);
      return sendJson(res, 200, { ok: true });
    }
    sendError(res, 400, `bad control request ${req.method} ${path}`);
  };

  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, `fake-openrouter crashed: ${String(error)}`);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrl: `${url}/api/v1`,
    requests,
    keys,
    oauth,
    clearRequests: () => {
      requests.length = 0;
    },
    setFault: (model, fault) => faults.set(model, fault),
    chatRequests: () => requests.filter((r) => r.path.endsWith('/chat/completions')),
    close: async () => {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
