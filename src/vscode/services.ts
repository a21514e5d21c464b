/**
 * The extension's services, built once at activation and wired together. Nothing here does
 * network or disk work at activation: the catalogue cache is read in the background.
 */
import { FileImageStore, imageFolder } from './chatView/imageStore';
import * as vscode from 'vscode';
import { ChatSession, type ChatEnvironment } from '../chat/chatSession';
import { ViewMode } from '../chat/viewMode';
import type { AgentEcosystem } from './agent/agentExtras';
import type { AgentMode } from './agent/agentMode';
import { AgentFeature, type AgentFeatureDeps } from './agent/agentFeature';
import { readChatMode } from './agent/chatModeState';
import { releasePrunedImages } from './agent/taskHistory';
import { HistoryStore } from '../chat/history';
import type { OpenRouterClient } from '../openrouter/client';
import type { Failure } from '../openrouter/failures';
import { Clients } from './account/clients';
import { CatalogueService } from './models/catalogueService';
import { Assistant } from './chatView/assistant';
import { ComposerExtras, publishOnChips } from './chatView/composerExtras';
import { ChatViewProvider } from './chatView/chatViewProvider';
import { EditorContextOffer } from './chatView/editorContextOffer';
import { chatEnvironment } from './chatView/chatEnvironment';
import { warnIfUnknownModel } from './models/unknownModel';
import { offerEnvironmentKey } from './account/environmentKey';
import { KeyStore } from './account/keyStore';
import { knownSecretsForRedaction, type Logger } from './log';
import { ModelPrefs } from './models/modelPrefs';
import type { KeyRing } from '../turn/keyRing';
import type { KeyStrategy } from '../account/keyPool';
import type { AccountService } from './account/accountService';
import type { SignIn } from './account/signIn';
import { createAccountFeature } from './account/accountFeature';
import { RoutingService } from './models/routingService';
import { readSettings, type SwitchyardSettings } from './settings/settings';
import { SettingsProblems } from './settings/settingsProblems';
import { refreshCatalogue, type CatalogueRefreshDeps } from './models/catalogueRefresh';
import { ignoredSettingsNotice } from './settings/trustedSettings';
import { ModelStatusBar } from './models/statusBar';
import { CompletionsService } from './completions/service';
import { LanguageModelsService } from './languageModels/service';
import { languageModelList } from './languageModels/modelList';
import { routeUris } from './mcp/oauthSignIn';

export class Services implements vscode.Disposable {
  /** The key pool (SecretStorage); also the ring chat requests use, with failover between keys. */
  readonly keys: KeyStore;
  /** The keys chat requests use, in order, with failover between them. */
  readonly keyRing: KeyRing;
  /** Credits, rate limits, Test Connection. */
  readonly account: AccountService;
  /** Sign in with OpenRouter (PKCE) and its URI handler. */
  readonly signIn: SignIn;
  readonly catalogue: CatalogueService;
  readonly prefs: ModelPrefs;
  readonly statusBar: ModelStatusBar;
  readonly chatView: ChatViewProvider;
  readonly session: ChatSession;
  /** Which conversation the chat view shows (Ask's chat or the agent task): decided only here. */
  readonly viewMode: ViewMode;
  /** Mentions, actions and Apply (src/vscode/chatView/assistant.ts). */
  readonly assistant: Assistant;
  /** The composer's `/` commands and instruction files. */
  readonly composerExtras: ComposerExtras;
  /** Agent mode and its MCP servers, instruction files and skills, built on first use (src/vscode/agent/agentFeature.ts). */
  readonly agentFeature: AgentFeature;
  readonly routing: RoutingService;
  /** Inline completions (ghost text): provider, status item, budget (src/vscode/completions/). */
  readonly completions: CompletionsService;
  /** Switchyard's models in VS Code's own chat (src/vscode/languageModels/). */
  readonly languageModels: LanguageModelsService;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly problems: SettingsProblems;
  private readonly clients: Clients;
  private hasKeyCache = false;

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly log: Logger,
  ) {
    this.problems = new SettingsProblems(log);
    this.keys = new KeyStore(context.secrets, log, () => this.keyStrategy(), undefined, {
      state: context.globalState,
      policy: () => this.settings().environmentKey,
    });
    this.keyRing = this.keys;
    const outcome = (m: string, f?: Failure): void => this.account.recordOutcome(m, f);
    this.clients = new Clients(() => this.settings(), this.keys, outcome);
    ({ account: this.account, signIn: this.signIn } = this.createAccount());
    this.catalogue = new CatalogueService(context.globalStorageUri, log);
    this.prefs = new ModelPrefs(context.globalState);
    this.statusBar = new ModelStatusBar();
    this.routing = this.createRouting();
    // The view and the session post to each other: the view asks for the session when a message arrives.
    const images = imageFolder(context);
    this.chatView = this.createChatView(images);
    const chatEnv = {
      ...this.chatEnvironment(),
      images: new FileImageStore(images, (uri) => this.chatView.webviewUri(uri)),
    };
    // The list shows one mode's conversation: the other's updates wait for the next init.
    this.viewMode = new ViewMode(
      () => readChatMode(context.workspaceState),
      (m) => this.chatView.post(m),
    );
    this.session = new ChatSession(
      // Ask mode reads the instruction files too (src/vscode/chatView/composerExtras.ts).
      {
        ...chatEnv,
        post: publishOnChips(this.viewMode.poster('ask'), () => this.composerExtras),
        instructions: () => this.composerExtras?.askInstructions() ?? '',
      },
      new HistoryStore(context.workspaceState, knownSecretsForRedaction),
    );
    this.assistant = new Assistant(
      () => this.session,
      (m) => this.chatView.post(m),
      log,
      () => this.settings().contextExclude,
      () => this.ecosystem.mcp,
    );
    this.composerExtras = this.createComposerExtras();
    this.agentFeature = this.createAgentFeature(chatEnv);
    this.completions = this.createCompletions();
    this.languageModels = new LanguageModelsService({
      env: chatEnv,
      models: () => languageModelList(this.settings(), this.routing.policy(), this.catalogue, this.prefs),
      changes: [this.prefs.onDidChangeFavourites, this.routing.onDidChangeRoutes],
      state: context.globalState,
      log,
    });
    this.disposeWithServices();
  }

  /** Agent mode: the mode switch and the agent task (src/vscode/agent/agentMode.ts), built on first use. */
  get agent(): AgentMode {
    return this.agentFeature.agent;
  }

  /** MCP servers, instruction files and skills of the agent (src/vscode/agent/agentExtras.ts), built on first use. */
  get ecosystem(): AgentEcosystem {
    return this.agentFeature.ecosystem;
  }

  /** What dispose() disposes besides what start() registered. */
  private disposeWithServices(): void {
    this.disposables.push(
      this.languageModels,
      this.completions,
      this.keys,
      this.catalogue,
      this.statusBar,
      this.chatView,
      this.routing,
      this.account,
      this.signIn,
      this.assistant,
      this.agentFeature,
      this.composerExtras,
    );
  }

  /** Routes, tiers, budgets and the router, with endpoints fetched on the first key. */
  private createRouting(): RoutingService {
    return new RoutingService({
      catalogue: this.catalogue,
      state: this.context.globalState,
      log: this.log,
      fetchEndpoints: (model) => this.clients.endpoints(model),
      fallbackModels: () => this.settings().fallbackModels,
      report: (problems) => this.report(problems),
    });
  }

  /** The chat view; it asks for the session, the mode and the assistant when a message arrives. */
  private createChatView(images: vscode.Uri): ChatViewProvider {
    return new ChatViewProvider({
      extensionUri: this.context.extensionUri,
      imageFolder: images,
      session: () => this.session,
      viewMode: () => this.viewMode,
      hasKey: () => this.hasKey(),
      log: this.log,
      afterReady: () => this.account.publish(),
      assistant: () => this.assistant,
      agent: () => this.agent,
      composer: () => this.composerExtras,
    });
  }

  /** The composer's slash menu, MCP resources and instruction files. */
  private createComposerExtras(): ComposerExtras {
    return new ComposerExtras({
      ecosystem: () => this.ecosystem,
      instructions: () => this.agentFeature.instructions,
      attach: (attachments) => this.session.addAttachments(attachments),
      mode: () => readChatMode(this.context.workspaceState),
      post: (m) => this.chatView.post(m),
      log: this.log,
      attachedPaths: () => this.session.composer.attachedPaths(),
    });
  }

  /** Agent mode and its ecosystem on the chat's environment, built on first use. */
  private createAgentFeature(chatEnv: AgentFeatureDeps['chatEnv']): AgentFeature {
    return new AgentFeature({
      context: this.context,
      log: this.log,
      report: (problems) => this.report(problems),
      chatEnv,
      assistant: () => this.assistant,
      viewMode: this.viewMode,
      post: (m) => this.chatView.post(m),
      reinit: () => this.chatView.postInit(),
      onEcosystem: (ecosystem) => ecosystem.mcp.onDidChange(() => this.composerExtras.mcpChanged()),
      onAgent: (agent) => releasePrunedImages(agent, () => this.session),
    });
  }

  /** Inline completions, planned by the router without waiting or advancing its rotation. */
  private createCompletions(): CompletionsService {
    return new CompletionsService({
      state: this.context.globalState,
      log: this.log,
      keys: this.keyRing,
      client: (apiKey) => this.clientFor(apiKey),
      plan: (request, keys, adjust) => this.routing.router.plan(request, keys, { advance: false, adjust, waitMs: 0 }),
      recordSpend: (usd) => this.routing.router.recordSpend(usd),
      modelInfo: (id) => this.catalogue.peek(id),
      models: () => this.catalogue.current()?.models ?? [],
      report: (problems) => this.report(problems),
      exclude: () => this.settings().contextExclude,
    });
  }

  /** Credits, rate limits, Test Connection and Sign in, published to the status bar and the chat header. */
  private createAccount(): ReturnType<typeof createAccountFeature> {
    return createAccountFeature({
      extensionId: this.context.extension.id,
      keys: this.keys,
      log: this.log,
      baseUrl: () => this.settings().baseUrl,
      clientFor: (key) => this.clientFor(key),
      publish: (view, lines) => {
        this.statusBar.setAccount(lines);
        this.chatView.post({ type: 'account', hasKey: this.hasKeyCache, account: view });
      },
      afterSignIn: () => this.refreshCatalogueNow(),
    });
  }

  /** What the chat session gets from VS Code (src/vscode/chatView/chatEnvironment.ts). */
  private chatEnvironment(): ChatEnvironment {
    return chatEnvironment({
      keys: this.keyRing,
      client: (apiKey) => this.clientFor(apiKey),
      settings: () => this.settings(),
      modelInfo: (id) => this.catalogue.peek(id),
      prefs: this.prefs,
      router: this.routing.router,
      post: (m) => this.chatView.post(m),
      log: this.log,
    });
  }

  /** `switchyard.keys.strategy`: `failover` (default) or `roundRobin`. */
  keyStrategy(): KeyStrategy {
    return this.settings().keyStrategy;
  }

  /** Fetches the catalogue now (after a sign-in), whatever the cache says. */
  private async refreshCatalogueNow(): Promise<void> {
    await refreshCatalogue(this.catalogueDeps(), 'now', 'after sign-in');
  }

  private catalogueDeps(): CatalogueRefreshDeps {
    return { catalogue: this.catalogue, client: () => this.client(), log: this.log };
  }

  /**
   * Settings, with malformed fields reported once each, and — once — the workspace values that
   * would have loosened a spending or privacy limit and are ignored (src/config/trust.ts).
   */
  settings(): SwitchyardSettings {
    const { settings, problems } = readSettings();
    const notice = ignoredSettingsNotice();
    this.report(notice ? [...problems, notice] : problems);
    return settings;
  }

  /** Shows each settings problem once (with a button to open the settings) and logs it. */
  report(problems: readonly string[]): void {
    this.problems.report(problems);
  }

  async hasKey(): Promise<boolean> {
    this.hasKeyCache = (await this.keys.get()) !== undefined;
    return this.hasKeyCache;
  }

  /** A client for the current key and base URL, or why there cannot be one. */
  client(keyOverride?: string): Promise<OpenRouterClient | Failure> {
    return this.clients.current(keyOverride);
  }

  /** A client for one key and the configured base URL, or why there cannot be one. */
  clientFor(apiKey: string): OpenRouterClient | Failure {
    return this.clients.forKey(apiKey);
  }

  /** Wires editor, settings, key and catalogue events; starts background work. */
  start(): void {
    const editorContext = new EditorContextOffer({
      settings: () => this.settings(),
      offer: (attachment) => this.session.offerEditorContext(attachment),
      log: this.log,
    });
    this.disposables.push(
      editorContext,
      vscode.window.registerWebviewViewProvider('switchyard.chat', this.chatView),
      vscode.workspace.onDidChangeConfiguration((e) => this.onSettingsChanged(e)),
      this.keys.onDidChange(() => void this.onKeyChanged()),
      this.keys.onDidReport(() => this.account.scheduleRefresh()),
      vscode.window.registerUriHandler(routeUris(this.signIn, () => this.ecosystem.mcp.signIns)),
      this.catalogue.onDidChange(() => this.refreshModelViews()),
    );
    this.completions.start();
    this.languageModels.register();
    // Activation only registers: the first status bar text, editor context and catalogue load
    // run right after it returns (reading settings and the cache cost more than all the rest).
    const first = setTimeout(() => {
      editorContext.schedule();
      this.completions.refresh();
      this.refreshModelViews();
      void this.loadCatalogue();
    }, 0);
    this.disposables.push({ dispose: () => clearTimeout(first) });
  }

  /** Web search default, base URL (a new catalogue), model views and an unknown model follow the settings. */
  private onSettingsChanged(e: vscode.ConfigurationChangeEvent): void {
    if (e.affectsConfiguration('switchyard.webSearch.default'))
      this.chatView.post({ type: 'webSearchDefault', on: this.settings().webSearchDefault });
    if (e.affectsConfiguration('switchyard.baseUrl')) {
      this.catalogue.forget();
      this.routing.router.endpoints.clear();
      void this.loadCatalogue();
    }
    if (e.affectsConfiguration('switchyard')) this.refreshModelViews();
    if (e.affectsConfiguration('switchyard.model'))
      warnIfUnknownModel(this.settings().model, (m) => this.knownModel(m), this.log);
  }

  /** Whether the catalogue (when one is loaded) or a route knows this model, so a typo is said at once. */
  private knownModel(model: string): boolean {
    const index = this.catalogue.current();
    return !index || !!index.get(model) || this.routing.listedRoutes().some(({ route }) => route.name === model);
  }

  /** Status bar, chat header and chips follow the model and the catalogue. */
  refreshModelViews(): void {
    const s = this.settings();
    this.statusBar.update(s.model, this.catalogue.peek(s.model), s.fallbackModels, this.hasKeyCache);
    this.chatView.post({ type: 'model', model: this.session.modelBadge() });
    this.session.refreshAttachments();
    this.languageModels.refresh();
  }

  /**
   * The disk cache first (instant), then — with a key and autoDiscover — a refresh in the
   * background when the cache is missing or older than 24 h. Failures only log: the chat works
   * without a catalogue, with conservative context limits.
   */
  private async loadCatalogue(): Promise<void> {
    const hasKey = await this.hasKey();
    if (!hasKey) void offerEnvironmentKey(this.keys);
    const s = this.settings();
    if (s.baseUrl.ok) await this.catalogue.cached(s.baseUrl.url);
    this.refreshModelViews();
    if (hasKey) void this.account.refreshCredits();
    if (!hasKey || !s.autoDiscover) return;
    await refreshCatalogue(this.catalogueDeps(), 'ifStale');
  }

  private async onKeyChanged(): Promise<void> {
    const has = await this.hasKey();
    this.account.forgetCredits();
    if (has) void this.account.refreshCredits();
    this.refreshModelViews();
    if (has && this.settings().autoDiscover) await refreshCatalogue(this.catalogueDeps(), 'ifStale', 'after sign-in');
    // After the catalogue, so the offer can say what a suggestion costs.
    if (has) void this.completions.offerOnce();
  }

  dispose(): void {
    this.session.stop();
    this.agentFeature.loaded?.stop();
    this.disposables.forEach((d) => d.dispose());
  }
}
