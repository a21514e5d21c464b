/**
 * The inline-completion engine, without VS Code: for each keystroke the editor asks
 * {@link CompletionEngine.provide}, which answers from the cache (typed-ahead included), from the
 * request still in flight when the user typed its first characters, or — after the adaptive
 * debounce — with a new request. One request is in flight per editor; the next keystroke aborts
 * it unless what it has streamed so far starts with what was typed. The daily budget pauses
 * requests; today's figures are kept here.
 */
import type { BracketState } from './brackets';
import { CompletionCache, cursorKey, typedAhead, typedSince, type CursorText } from './cache';
import { AdaptiveDebounce } from './debounce';
import { allowsMultiline, cleanCompletion } from './postprocess';
import { buildFimPrompt, DEFAULT_FIM_LIMITS, type FimLimits, type Snippet } from './prompt';
import { isSendResult, maxTokensFor, type SendMiss, type SendRequest, type SendResult } from './route';
import { addCompletionSpend, budgetPause, countEvent, type DailyFigures, type FigureEvent } from './stats';

/** The settings that shape one request (already resolved for the document's language). */
export interface EngineSettings {
  readonly debounceMs: number;
  readonly maxLines: number;
  readonly dailyBudgetUsd: number;
  /** `switchyard.completions.model`, or undefined for the `complete` tier. */
  readonly model?: string;
}

/** The cursor the editor asks about. */
export interface CompletionContext extends CursorText {
  /** One per editor (its document's URI): one request in flight each. */
  readonly editorId: string;
  readonly languageId: string;
  readonly path: string;
  readonly snippets?: readonly Snippet[];
  /**
   * The brackets open where `prefix` starts (the document before it, scanned: `openedBefore` in
   * ./brackets.ts); undefined when `prefix` starts the document. Read once a request is about to
   * go — after the debounce, when the keystroke was not superseded — so a burst pays it once.
   */
  readonly opened?: () => BracketState | undefined;
}

/** A cursor a request is sent for: its open brackets read. */
type AskedContext = Omit<CompletionContext, 'opened'> & { readonly opened?: BracketState };

/** A suggestion for the cursor, or why there is none. */
export type Provided =
  | {
      readonly kind: 'suggestion';
      readonly id: string;
      readonly text: string;
      readonly source: 'cache' | 'inflight' | 'request';
      readonly waited?: Waited;
    }
  | { readonly kind: 'none'; readonly reason: 'superseded' | 'budget' | 'empty' | SendMiss['miss'] };

/** Time a suggestion spent waiting, not working (ms): the debounce, and the model's answer. */
export interface Waited {
  readonly debounceMs: number;
  readonly modelMs: number;
}

export interface EngineDeps {
  now(): number;
  /** Waits `ms`; resolves false when `signal` aborted first. */
  sleep(ms: number, signal: AbortSignal): Promise<boolean>;
  send(request: SendRequest): Promise<SendResult | SendMiss>;
  /** Today's figures (the host persists them). */
  figures(): DailyFigures;
  saveFigures(figures: DailyFigures): void;
  newId(): string;
  log?(message: string): void;
  /** A request was not sent because its worst case would cross the daily budget (now paused). */
  onBudgetPause?(): void;
  readonly limits?: FimLimits;
}

interface InFlight {
  readonly at: ReturnType<typeof cursorKey>;
  readonly controller: AbortController;
  readonly ctx: AskedContext;
  readonly multiline: boolean;
  readonly maxLines: number;
  /** Raw text streamed so far. */
  raw: string;
  readonly done: Promise<string | undefined>;
  readonly id: string;
}

/** One request's progress as the editor waits on it: the entry in flight (its streamed text), why nothing came, the model's time. */
interface Flight {
  current?: InFlight;
  miss?: SendMiss['miss'];
  modelMs: number;
}

/** What one completion request asks for. */
interface Asked {
  readonly ctx: AskedContext;
  readonly settings: EngineSettings;
  readonly multiline: boolean;
  readonly controller: AbortController;
  readonly id: string;
}

interface EditorState {
  generation: number;
  inflight: InFlight | undefined;
}

const SHOWN_MEMORY = 256;

export class CompletionEngine {
  private readonly cache = new CompletionCache();
  private readonly debounce: AdaptiveDebounce;
  private readonly editors = new Map<string, EditorState>();
  private readonly shownIds = new Set<string>();
  /** The worst case of the last request the budget stopped: paused while it still does not fit. */
  private blockedWorstUsd = 0;

  constructor(
    private readonly deps: EngineDeps,
    debounceMs: number,
  ) {
    this.debounce = new AdaptiveDebounce(debounceMs);
  }

  /** The debounce now in use (ms). */
  get delayMs(): number {
    return this.debounce.delayMs();
  }

  /**
   * Why requests are paused by the budget, or undefined: today's spend reached it, or the last
   * request it stopped still would not fit (a raised budget or a new day lifts that).
   */
  budgetPaused(dailyBudgetUsd: number): string | undefined {
    return budgetPause(this.deps.figures(), dailyBudgetUsd, this.blockedWorstUsd);
  }

  /**
   * The suggestion for `ctx`. `signal` is the editor's cancellation (the next keystroke).
   * Never rejects: failures are dropped (and logged).
   */
  async provide(ctx: CompletionContext, settings: EngineSettings, signal: AbortSignal): Promise<Provided> {
    this.debounce.setBase(settings.debounceMs);
    const delay = this.debounce.keystroke(this.deps.now());
    const state = this.state(ctx.editorId);
    const generation = ++state.generation;

    const cached = this.cache.get(ctx);
    if (cached) {
      this.abortStale(state, ctx);
      return { kind: 'suggestion', id: cached.id, text: cached.text, source: 'cache' };
    }

    // The request in flight: reused when the user typed the start of what it is streaming.
    const inflight = state.inflight;
    if (inflight) {
      const typed = typedSince(inflight.at, ctx);
      const sofar =
        typed === undefined
          ? undefined
          : (cleanCompletion(inflight.raw, {
              prefix: inflight.ctx.prefix,
              opened: inflight.ctx.opened,
              suffix: inflight.ctx.suffix,
              multiline: inflight.multiline,
              maxLines: inflight.maxLines,
              languageId: inflight.ctx.languageId,
            }) ?? '');
      if (typed !== undefined && sofar !== undefined && (typed === '' || typedAhead(sofar, typed) !== undefined)) {
        const waitFrom = this.deps.now();
        const text = await inflight.done;
        const rest = text === undefined ? undefined : typed === '' ? text : typedAhead(text, typed);
        if (rest !== undefined && !signal.aborted)
          return {
            kind: 'suggestion',
            id: inflight.id,
            text: rest,
            source: 'inflight',
            waited: { debounceMs: 0, modelMs: this.deps.now() - waitFrom },
          };
        if (signal.aborted || state.generation !== generation) return { kind: 'none', reason: 'superseded' };
      } else {
        inflight.controller.abort();
        if (state.inflight === inflight) state.inflight = undefined;
      }
    }

    if (this.budgetPaused(settings.dailyBudgetUsd)) return { kind: 'none', reason: 'budget' };
    const sleptFrom = this.deps.now();
    if (!(await this.deps.sleep(delay, signal)) || state.generation !== generation)
      return { kind: 'none', reason: 'superseded' };
    return this.request(ctx, settings, signal, state, this.deps.now() - sleptFrom);
  }

  /** A suggestion reached the screen (counted once per suggestion). */
  shown(id: string): void {
    if (this.shownIds.has(id)) return;
    this.shownIds.add(id);
    if (this.shownIds.size > SHOWN_MEMORY) this.shownIds.delete(this.shownIds.values().next().value as string);
    this.count('shown');
  }

  /** The user accepted a suggestion (Tab). */
  accepted(_id: string): void {
    this.count('accepted');
  }

  /** Aborts every request in flight and forgets the cache (completions turned off, snoozed). */
  reset(): void {
    for (const state of this.editors.values()) state.inflight?.controller.abort();
    this.editors.clear();
    this.cache.clear();
  }

  private state(editorId: string): EditorState {
    let state = this.editors.get(editorId);
    if (!state) {
      state = { generation: 0, inflight: undefined };
      this.editors.set(editorId, state);
      if (this.editors.size > 32) this.editors.delete(this.editors.keys().next().value as string);
    }
    return state;
  }

  /** A cached answer made the in-flight request useless unless it is for this very cursor. */
  private abortStale(state: EditorState, ctx: CursorText): void {
    const inflight = state.inflight;
    if (inflight && typedSince(inflight.at, ctx) === undefined) {
      inflight.controller.abort();
      state.inflight = undefined;
    }
  }

  private async request(
    cursor: CompletionContext,
    settings: EngineSettings,
    signal: AbortSignal,
    state: EditorState,
    debounceMs: number,
  ): Promise<Provided> {
    const ctx: AskedContext = { ...cursor, opened: cursor.opened?.() };
    const multiline = settings.maxLines > 1 && allowsMultiline(ctx.prefix, ctx.suffix);
    const controller = new AbortController();
    const id = this.deps.newId();
    const flight: Flight = { modelMs: 0 };
    const done = this.fetchSuggestion({ ctx, settings, multiline, controller, id }, flight).catch((error: unknown) => {
      flight.miss = 'failed';
      this.deps.log?.(`completion dropped: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    const inflight: InFlight = {
      at: cursorKey(ctx),
      controller,
      ctx,
      multiline,
      maxLines: settings.maxLines,
      raw: '',
      done,
      id,
    };
    flight.current = inflight;
    state.inflight = inflight;
    // The editor cancelled (the next keystroke, the cursor moved away): abort unless something
    // has streamed that the next keystroke may still reuse (then `provide` decides).
    const onCancel = (): void => {
      if (!inflight.raw.trim()) controller.abort();
    };
    signal.addEventListener('abort', onCancel, { once: true });
    try {
      const text = await done;
      if (signal.aborted) return { kind: 'none', reason: 'superseded' };
      if (text === undefined) return { kind: 'none', reason: flight.miss ?? 'empty' };
      return { kind: 'suggestion', id, text, source: 'request', waited: { debounceMs, modelMs: flight.modelMs } };
    } finally {
      signal.removeEventListener('abort', onCancel);
      if (state.inflight === inflight) state.inflight = undefined;
    }
  }

  /** Sends the FIM prompt through the turn layer (budget asked first) and cleans the answer; caches what is kept. */
  private async fetchSuggestion(asked: Asked, flight: Flight): Promise<string | undefined> {
    const { ctx, settings, multiline } = asked;
    const prompt = buildFimPrompt(
      {
        prefix: ctx.prefix,
        suffix: ctx.suffix,
        languageId: ctx.languageId,
        path: ctx.path,
        snippets: ctx.snippets ?? [],
        multiline,
        maxLines: settings.maxLines,
      },
      this.deps.limits ?? DEFAULT_FIM_LIMITS,
    );
    const sentAt = this.deps.now();
    const outcome = await this.deps.send({
      prompt,
      multiline,
      maxTokens: maxTokensFor(multiline, settings.maxLines),
      ...(settings.model ? { model: settings.model } : {}),
      signal: asked.controller.signal,
      onText: (raw) => {
        if (flight.current) flight.current.raw = raw;
      },
      allow: (worstUsd) => this.allowSpend(settings, worstUsd),
      onSent: () => this.count('request'),
    });
    flight.modelMs = this.deps.now() - sentAt;
    // The turn layer put the cost in the routing ledger; today's completion figures count it too.
    this.spend(outcome.costUsd);
    void outcome.later?.then((usd) => this.spend(usd));
    if (!isSendResult(outcome)) {
      flight.miss = outcome.miss;
      if (outcome.miss !== 'aborted') this.deps.log?.(`completion dropped (${outcome.miss}): ${outcome.detail}`);
      return undefined;
    }
    // Cleaned against the text read, not the prompt's fitted tail: a closer whose opener is above
    // that tail (a `describe(` 300 lines up) must not read as one too many.
    const text = cleanCompletion(outcome.text, {
      prefix: ctx.prefix,
      opened: ctx.opened,
      suffix: ctx.suffix,
      multiline,
      maxLines: settings.maxLines,
      languageId: ctx.languageId,
    });
    if (text !== undefined) this.cache.put(ctx, { id: asked.id, text });
    return text;
  }

  /** Whether the daily completions budget leaves room for a request that may cost `worstUsd`; pauses them if not. */
  private allowSpend(settings: EngineSettings, worstUsd: number): boolean {
    if (budgetPause(this.deps.figures(), settings.dailyBudgetUsd, worstUsd) === undefined) return true;
    this.blockedWorstUsd = worstUsd;
    this.deps.onBudgetPause?.();
    return false;
  }

  private spend(usd: number): void {
    if (!(usd > 0)) return;
    this.deps.saveFigures(addCompletionSpend(this.deps.figures(), usd));
  }

  private count(event: FigureEvent): void {
    this.deps.saveFigures(countEvent(this.deps.figures(), event));
  }
}
