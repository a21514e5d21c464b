/**
 * Keeps the model catalogue: read from the on-disk cache (24 h lifetime) on first use, refreshed
 * from `GET /models` when stale, when a key is first stored, or on "Refresh Models".
 */
import * as vscode from 'vscode';
import { CatalogueIndex, readCatalogueCache, type CatalogueCacheFile } from '../../openrouter/catalogue';
import type { OpenRouterClient } from '../../openrouter/client';
import type { Logger } from '../log';

export class CatalogueService implements vscode.Disposable {
  private index: CatalogueIndex | undefined;
  private loadedFor: string | undefined;
  private inflight: Promise<CatalogueIndex> | undefined;
  private readonly changed = new vscode.EventEmitter<CatalogueIndex>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly storageDir: vscode.Uri,
    private readonly log: Logger,
  ) {}

  private get cacheUri(): vscode.Uri {
    return vscode.Uri.joinPath(this.storageDir, 'catalogue.json');
  }

  /** What is known now (memory or disk cache), without a network request. */
  async cached(baseUrl: string): Promise<CatalogueIndex | undefined> {
    if (this.index && this.loadedFor === baseUrl) return this.index;
    try {
      const bytes = await vscode.workspace.fs.readFile(this.cacheUri);
      const started = Date.now();
      const index = readCatalogueCache(JSON.parse(new TextDecoder().decode(bytes)), baseUrl);
      if (index) {
        this.index = index;
        this.loadedFor = baseUrl;
        this.log.info(`catalogue: ${index.size} models from cache (${Date.now() - started} ms)`);
        this.changed.fire(index);
      }
      return index;
    } catch {
      return undefined;
    }
  }

  /** Drops what is in memory (the base URL changed: another host, another catalogue). */
  forget(): void {
    this.index = undefined;
    this.loadedFor = undefined;
  }

  /** The model, if the catalogue is loaded. */
  peek(id: string): ReturnType<CatalogueIndex['get']> {
    return this.index?.get(id);
  }

  current(): CatalogueIndex | undefined {
    return this.index;
  }

  /** A fresh catalogue: the cache while younger than 24 h, else the network. */
  async ensureFresh(client: OpenRouterClient): Promise<CatalogueIndex> {
    const cached = await this.cached(client.baseUrl);
    if (cached?.isFresh(Date.now())) return cached;
    return this.refresh(client);
  }

  /** Fetches `/models` now (one request at a time). */
  refresh(client: OpenRouterClient): Promise<CatalogueIndex> {
    this.inflight ??= this.fetch(client).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetch(client: OpenRouterClient): Promise<CatalogueIndex> {
    const started = Date.now();
    const parsed = await client.listModels();
    const index = new CatalogueIndex(parsed.models, Date.now());
    this.log.info(
      `catalogue: ${parsed.models.length} models fetched in ${Date.now() - started} ms; ${parsed.skipped.length} odd entries skipped`,
    );
    for (const s of parsed.skipped.slice(0, 10))
      this.log.warn(`catalogue: skipped entry #${s.index}${s.id ? ` (${s.id})` : ''}: ${s.reason}`);
    this.index = index;
    this.loadedFor = client.baseUrl;
    this.changed.fire(index);
    const file: CatalogueCacheFile = {
      version: 1,
      fetchedAt: index.fetchedAt,
      baseUrl: client.baseUrl,
      models: index.models,
    };
    try {
      await vscode.workspace.fs.createDirectory(this.storageDir);
      await vscode.workspace.fs.writeFile(this.cacheUri, new TextEncoder().encode(JSON.stringify(file)));
    } catch (error) {
      this.log.warn(`catalogue: could not write the cache: ${String(error)}`);
    }
    return index;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
