/**
 * An agent task as the extension runs it — {@link AgentSession} with the routing engine, the
 * executor and the real OpenRouter client — against a fake OpenRouter, with an in-memory
 * workspace standing in for the VS Code tools and a recording "webview" sink. Used by the agent
 * unit tests and the benchmarks.
 */
import type { AgentExtras } from '../../src/agent/extras';
import type { ImageStore } from '../../src/context/images';
import {
  AgentSession,
  type AgentSettings,
  type AgentTools,
  type FileChange,
  type ToolRun,
} from '../../src/agent/session';
import type { SearchQuery } from '../../src/agent/search';
import type { Problem, Refused, RunContext, ToolCall } from '../../src/agent/tools';
import type { KeyRing } from '../../src/turn/keyRing';
import type { RawRoutingSettings } from '../../src/config/routingSettings';
import type { ModelInfo } from '../../src/openrouter/catalogue';
import { OpenRouterClient } from '../../src/openrouter/client';
import type { ReasoningChoice } from '../../src/openrouter/reasoning';
import type { HostToWebview, ToolCallView } from '../../src/protocol/messages';
import { DEFAULT_APPROVAL } from '../../src/agent/policy';
import { seededRandom } from '../../src/routing/random';
import { systemTime } from '../../src/routing/systemTime';
import type { CallFacts } from '../../src/agent/policy';
import { testShellParser } from '../unit/shellGrammar';
import { HistoryStore } from '../../src/chat/history';
import { MemoryStore, testRouter } from './session';
import type { Router } from '../../src/routing/router';

/** A workspace in memory: files by relative path; commands answered by a script. */
export class MemoryWorkspace implements AgentTools {
  readonly files = new Map<string, string>();
  readonly runs: ToolCall[] = [];
  readonly writes: FileChange[][] = [];
  proposals = 0;
  /** Answers `run_command`; may wait on the signal. */
  command: (command: string, signal: AbortSignal, stillRunning: () => void) => Promise<ToolRun> = async () => ({
    ok: true,
    content: 'exit code 0',
    summary: 'exit code 0',
  });

  private ran(name: ToolCall['name'], args: Record<string, unknown>): void {
    this.runs.push({ id: '', name, args } as ToolCall);
  }

  async readText(path: string): Promise<{ ok: true; rel: string; text: string } | Refused> {
    this.ran('read_file', { path });
    const text = this.files.get(path);
    return text === undefined ? { ok: false, content: `${path} does not exist` } : { ok: true, rel: path, text };
  }

  async listFiles(folder: string): Promise<{ ok: true; rel: string; files: readonly string[] }> {
    this.ran('list_files', { path: folder });
    return { ok: true, rel: folder === '.' ? '' : folder, files: [...this.files.keys()] };
  }

  async searchText(query: SearchQuery): Promise<ToolRun> {
    this.ran('search_text', { query: query.query });
    return { ok: true, content: 'nothing' };
  }

  async diagnostics(path: string | undefined): Promise<{ ok: true; problems: readonly Problem[] }> {
    this.ran('get_diagnostics', path === undefined ? {} : { path });
    return { ok: true, problems: [] };
  }

  async runCommand(command: string, cwd: string | undefined, { signal, events }: RunContext): Promise<ToolRun> {
    this.ran('run_command', cwd === undefined ? { command } : { command, cwd });
    return this.command(command, signal, events.onStillRunning);
  }

  /** As in a sandbox: commands are parsed with the real shell grammar. */
  async inspect(call: ToolCall): Promise<CallFacts> {
    if (call.name !== 'run_command') return { sandboxed: true };
    const parser = await testShellParser();
    return {
      sandboxed: true,
      network: false,
      command: { line: parser.parse(call.args.command), parse: (t) => parser.parse(t) },
    };
  }

  async readForEdit(path: string): Promise<{ ok: true; text: string | null } | { ok: false; error: string }> {
    if (path.startsWith('..') || path.startsWith('/')) return { ok: false, error: `${path} is outside the workspace` };
    return { ok: true, text: this.files.get(path) ?? null };
  }

  async showProposal(): Promise<void> {
    this.proposals++;
  }

  async closeProposal(): Promise<void> {}

  async write(changes: readonly FileChange[]): Promise<string | undefined> {
    this.writes.push([...changes]);
    for (const c of changes) {
      if (c.content === null) this.files.delete(c.path);
      else this.files.set(c.path, c.content);
    }
    return undefined;
  }
}

export interface AgentHarnessOptions {
  readonly baseUrl: string;
  readonly models: readonly ModelInfo[];
  readonly apiKey: string;
  readonly model: string;
  readonly fallbackModels?: readonly string[];
  readonly routing?: RawRoutingSettings;
  readonly agent?: Partial<AgentSettings>;
  /** Sees every request the client sends (time, for the bench). */
  readonly onRequest?: () => void;
  /** Sees every post (to approve a card when it appears). */
  readonly onPost?: (message: HostToWebview, harness: AgentHarness) => void;
  /** The reasoning effort remembered per model (the chat header's). */
  readonly efforts?: ReadonlyMap<string, ReasoningChoice>;
  /** MCP tools, instructions, skills (src/agent/extras.ts). */
  readonly extras?: AgentExtras;
  /** The client's fetch (to watch a response arrive: test/faults/observedFetch.ts). */
  readonly fetch?: typeof fetch;
  /** A plan task (read-only tools) instead of one that acts; `onPlan` sees its plan. */
  readonly kind?: 'plan' | 'act';
  readonly onPlan?: (text: string, messageId: string) => void;
  /** Workspace storage to start from (a window reload keeps it). */
  readonly store?: MemoryStore;
  /** Ids start with this (a harness after a reload must not reuse ids). */
  readonly idPrefix?: string;
  /** The tokenizer (default: 4 characters a token). */
  readonly tokens?: (text: string) => number;
  /** Where images tools return are kept (test/faults/memoryImages.ts). */
  readonly images?: ImageStore;
}

export interface AgentHarness {
  readonly session: AgentSession;
  readonly workspace: MemoryWorkspace;
  readonly posted: HostToWebview[];
  readonly logs: string[];
  readonly store: MemoryStore;
  /** Cards as last posted, by call id. */
  readonly cards: Map<string, ToolCallView>;
  /** The routing engine (its ledger has what the task spent). */
  readonly router: Router;
}

/**
 * The client's idle timeout. A loaded CI machine (load 30 on 2 cores) once took over 10 s for a
 * step, which timed out, failed over and dropped the sticky provider; no test here waits for a
 * timeout (a hang is stopped by the test, and the fault matrix sets its own), so it is generous.
 */
const HARNESS_TIMEOUT_SECONDS = 60;

export function agentHarness(options: AgentHarnessOptions): AgentHarness {
  const posted: HostToWebview[] = [];
  const logs: string[] = [];
  const store = options.store ?? new MemoryStore();
  const workspace = new MemoryWorkspace();
  const cards = new Map<string, ToolCallView>();
  const always = new Set<string>();
  let id = 0;
  const onRequest = options.onRequest;
  const base = options.fetch ?? fetch;
  const fetchImpl: typeof fetch | undefined = onRequest
    ? (input, init) => (onRequest(), base(input, init))
    : options.fetch;
  const client = (apiKey: string): OpenRouterClient =>
    new OpenRouterClient({
      baseUrl: options.baseUrl,
      apiKey,
      timeoutSeconds: HARNESS_TIMEOUT_SECONDS,
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    });
  const ring: KeyRing = {
    refs: async () => [{ id: 'k1', label: 'key 1' }],
    secret: async () => options.apiKey,
    report: () => undefined,
  };
  const byId = new Map(options.models.map((m) => [m.id, m]));
  const settings = { model: options.model, fallbackModels: options.fallbackModels ?? [], maxOutputTokens: 1024 };
  const router = testRouter({
    baseUrl: options.baseUrl,
    models: options.models,
    apiKey: options.apiKey,
    routing: options.routing ?? {},
    fallbackModels: () => settings.fallbackModels,
    time: { ...systemTime, random: seededRandom(1) },
    maxWaitMs: 2000,
    timeoutSeconds: HARNESS_TIMEOUT_SECONDS,
  });
  const harness: { -readonly [K in keyof AgentHarness]: AgentHarness[K] } = {
    session: undefined as unknown as AgentSession,
    workspace,
    posted,
    logs,
    store,
    cards,
    router,
  };
  harness.session = new AgentSession({
    keys: ring,
    client,
    settings: () => settings,
    modelInfo: (m) => byId.get(m),
    reasoningChoice: (m) => options.efforts?.get(m),
    router,
    confirm: async () => false,
    post: (m) => {
      posted.push(m);
      if (m.type === 'messageUpdated' || m.type === 'messageAdded')
        for (const c of m.message.tools ?? []) cards.set(c.id, c);
      options.onPost?.(m, harness);
    },
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    newId: () => `${options.idPrefix ?? 'm'}${++id}`,
    now: () => Date.now(),
    tools: workspace,
    agentSettings: () => ({ approval: DEFAULT_APPROVAL, maxSteps: 25, commandTimeoutSeconds: 30, ...options.agent }),
    alwaysAllowed: () => always,
    allowAlways: async (tool) => {
      always.add(tool);
    },
    store,
    archive: new HistoryStore(store),
    tokens: options.tokens ?? ((text) => Math.ceil(text.length / 4)),
    ...(options.extras ? { extras: options.extras } : {}),
    ...(options.images ? { images: options.images } : {}),
    ...(options.kind ? { kind: options.kind } : {}),
    ...(options.onPlan ? { onPlan: options.onPlan } : {}),
  });
  return harness;
}
