/**
 * MCP tools inside an agent task: offers the running servers' tools (whole, or deferred behind
 * `search_tools`), checks a call's arguments against the tool's schema (invalid → an error result,
 * the server never sees it), asks on a card that shows the server, the tool and the arguments, calls
 * the server and flattens its result. A server error or crash is a failed card with the reason; the
 * task goes on. Pure: the servers come in as an {@link McpHub}.
 */
import type { AssembledCall } from '../turn/deltas';
import type { ExtraCallContext, ExtraFunction } from '../agent/extras';
import type { ToolOutcome } from '../agent/loop';
import { shownToModel } from '../protocol/invisibleText';
import { capOutput } from '../agent/transcript';
import { redactSecrets } from '../openrouter/secrets';
import { approvalKey, mcpApprovalFor, type McpApprovalState } from './approval';
import type { ImageStore } from '../context/images';
import type { ToolImageView } from '../protocol/agentViews';
import type { ToolImageRef } from '../agent/toolImages';
import { flattenResult, type McpCallResult } from './results';
import { toolSchema } from '../openrouter/schemaFit';
import { checkResultImages } from './resultImages';
import {
  offerTools,
  SEARCH_TOOLS,
  searchResultText,
  searchTools,
  toolEntries,
  type McpToolEntry,
  type McpToolInfo,
} from './toolCatalog';

/** The servers as the bridge needs them (src/vscode/mcp/manager.ts). */
export interface McpHub {
  /** The tools of each running server (updated on `list_changed`). */
  tools(): readonly { readonly server: string; readonly tools: readonly McpToolInfo[] }[];
  /** Calls a tool; rejects when the server fails or crashed (the reason in the message). */
  call(server: string, tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult>;
  /** Checks arguments against the tool's schema (ajv lives with the MCP client, off the activation path). */
  check(
    fn: string,
    argumentsJson: string,
    schema: Readonly<Record<string, unknown>>,
  ): { ok: true; args: Record<string, unknown> } | { ok: false; error: string };
  approvalState(): McpApprovalState;
  /** Keeps "Always allow" for one tool, by its {@link approvalKey}. */
  allowTool(key: string): Promise<void>;
  allowServer(server: string): Promise<void>;
}

export interface BridgeOptions {
  /** Names already taken by the built-in tools (an MCP tool never shadows one). */
  readonly reserved: readonly string[];
  readonly tokens: (text: string) => number;
  /** Characters of a result sent to the model. */
  readonly maxResultChars: number;
  /** Where a result's images are kept once checked (./resultImages.ts); without it they are named, not kept. */
  readonly images?: Pick<ImageStore, 'save' | 'src'>;
  /** The user's keys now: redacted from a result or an error in every form the redactor knows, not only by shape. */
  readonly knownSecrets?: () => readonly string[];
}

export class McpBridge {
  private entries: McpToolEntry[] = [];
  private readonly loaded = new Set<string>();

  constructor(
    private readonly hub: McpHub,
    private readonly options: BridgeOptions,
  ) {}

  /** The MCP functions for the next request. */
  functions(contextTokens: number): readonly ExtraFunction[] {
    this.entries = toolEntries(this.hub.tools(), this.options.reserved);
    if (this.entries.length === 0) return [];
    return offerTools(this.entries, {
      builtInCount: this.options.reserved.length,
      contextTokens,
      tokens: this.options.tokens,
      loaded: this.loaded,
    }).definitions;
  }

  handles(name: string): boolean {
    return name === SEARCH_TOOLS ? this.entries.length > 0 : this.entries.some((e) => e.fn === name);
  }

  /** Whether a function only reads: `search_tools`, and MCP tools whose server says `readOnlyHint: true` (nothing else, in Plan mode). */
  readOnly(name: string): boolean {
    if (name === SEARCH_TOOLS) return true;
    const entry = toolEntries(this.hub.tools(), this.options.reserved).find((e) => e.fn === name);
    return entry?.tool.annotations?.readOnlyHint === true;
  }

  reset(): void {
    this.loaded.clear();
  }

  async run(call: AssembledCall, context: ExtraCallContext): Promise<ToolOutcome> {
    if (call.name === SEARCH_TOOLS) return this.search(call, context);
    const entry = this.entries.find((e) => e.fn === call.name)!;
    const title = `${entry.server}: ${entry.tool.title ?? entry.tool.annotations?.title ?? entry.tool.name}`;
    const checked = this.hub.check(entry.fn, call.arguments, toolSchema(entry.tool.inputSchema));
    if (!checked.ok) {
      await context.show({
        tool: entry.fn,
        server: entry.server,
        title,
        state: 'failed',
        summary: checked.error,
        result: `Error: ${checked.error}`,
      });
      return { status: 'failed', content: `Error: ${checked.error}` };
    }
    const shown = capOutput(this.redact(JSON.stringify(checked.args, null, 1)), 4000);
    const verdict = mcpApprovalFor(entry, this.hub.approvalState());
    const ask = verdict.decision === 'ask';
    const decision = await context.show({
      tool: entry.fn,
      server: entry.server,
      title,
      state: ask ? 'waiting' : 'running',
      reason: verdict.reason,
      summary: `arguments: ${shown}`,
      ...(ask ? { canAlwaysAllow: true } : {}),
    });
    if (context.signal.aborted) {
      context.update({ state: 'rejected', summary: 'the task was stopped', canAlwaysAllow: false });
      return { status: 'rejected', content: 'Not run: the user stopped the task.' };
    }
    if (!decision.approve) {
      const feedback = decision.feedback?.trim();
      context.update({
        state: 'rejected',
        summary: feedback ? `rejected: ${feedback}` : 'rejected',
        canAlwaysAllow: false,
      });
      return {
        status: 'rejected',
        content: `The user rejected this call of ${entry.fn}; it was not run.${feedback ? ` Their feedback: ${feedback}` : ''}`,
      };
    }
    if (decision.alwaysServer) await this.hub.allowServer(entry.server);
    else if (decision.always) await this.hub.allowTool(approvalKey(entry));
    context.update({ state: 'running', canAlwaysAllow: false });
    return this.invoke(entry, checked.args, context, call.id);
  }

  /** A server's text with the user's keys (any known form) and every token shape removed. */
  private redact(text: string): string {
    return redactSecrets(text, this.options.knownSecrets?.() ?? []);
  }

  private async invoke(
    entry: McpToolEntry,
    args: Record<string, unknown>,
    context: ExtraCallContext,
    callId: string,
  ): Promise<ToolOutcome> {
    try {
      const result = flattenResult(await this.hub.call(entry.server, entry.tool.name, args, context.signal));
      const kept = await this.keepImages(result.images, entry.fn, callId);
      const text = [result.text, ...kept.refused.map((r) => `[${r}]`)].join('\n');
      // The server's text: what its reader could not see (tag characters, bidi, zero-width) written out.
      const content = capOutput(shownToModel(this.redact(text)), this.options.maxResultChars);
      const lines = content.split('\n').length;
      const n = kept.images.length;
      context.update({
        state: result.ok ? 'done' : 'failed',
        result: content,
        summary: result.ok
          ? `${lines} line${lines === 1 ? '' : 's'}${n ? `, ${n} image${n === 1 ? '' : 's'}` : ''}${kept.refused.length ? `, ${kept.refused.length} refused` : ''}`
          : 'the tool reported an error',
        ...(n ? { images: kept.views } : {}),
      });
      return {
        status: result.ok ? 'done' : 'failed',
        content: result.ok ? content : `Error from ${entry.fn}: ${content}`,
        ...(n ? { images: kept.images } : {}),
      };
    } catch (error) {
      const reason = shownToModel(this.redact(error instanceof Error ? error.message : String(error)));
      context.update({ state: 'failed', summary: reason.split('\n')[0]!.slice(0, 300), result: `Error: ${reason}` });
      return {
        status: 'failed',
        content: `Error: the MCP server ${entry.server} failed: ${reason}. Go on without this tool, or try again later.`,
      };
    }
  }

  /** Checks a result's images and stores the good ones; what was refused, and why, goes into the result. */
  private async keepImages(
    raw: Parameters<typeof checkResultImages>[0],
    fn: string,
    callId: string,
  ): Promise<{ images: ToolImageRef[]; views: ToolImageView[]; refused: string[] }> {
    const checked = checkResultImages(raw);
    const { accepted } = checked;
    const refused = [...checked.refused];
    const images: ToolImageRef[] = [];
    const views: ToolImageView[] = [];
    const store = this.options.images;
    for (const [i, image] of accepted.entries()) {
      const name = `image ${i + 1} from ${fn}`;
      if (!store) {
        refused.push(`${name} was not kept: this window has no extension storage for images.`);
        continue;
      }
      try {
        const file = await store.save(image.bytes, image.mime);
        images.push({
          id: `${callId}#${i + 1}`,
          name,
          mime: image.mime,
          bytes: image.bytes.length,
          file,
          callId,
          tool: fn,
        });
        views.push({ name, file, src: store.src(file), mime: image.mime, bytes: image.bytes.length });
      } catch (error) {
        refused.push(`${name} could not be stored: ${String(error)}`);
      }
    }
    return { images, views, refused };
  }

  private async search(call: AssembledCall, context: ExtraCallContext): Promise<ToolOutcome> {
    let query = '';
    try {
      const raw = JSON.parse(call.arguments || '{}') as { query?: unknown };
      query = typeof raw.query === 'string' ? raw.query : '';
    } catch {
      // An empty query finds nothing; the result says so.
    }
    const found = searchTools(this.entries, query);
    for (const e of found) this.loaded.add(e.fn);
    const content = searchResultText(found, query);
    await context.show({
      tool: SEARCH_TOOLS,
      title: `Search MCP tools for “${query.slice(0, 80)}”`,
      state: 'done',
      summary: `${found.length} found`,
      result: content,
    });
    return { status: 'done', content };
  }
}
