/**
 * A chat message as a routed request: the draft the turn layer sends (history fitted to the
 * context window, the turn's context and images, web search, the session id, the effort a command
 * asks for), the route request the router plans (tier, pick, vision, sticky provider), and the
 * plan, refused before sending when nothing may serve it. Pure.
 */
import { DEFAULT_CONTEXT_LENGTH } from '../openrouter/catalogue';
import { FailureError, routeRefusedFailure } from '../openrouter/failures';
import type { ChatRequestBody, TextMessage, WireContentPart, WireMessage } from '../openrouter/wire';
import type { Affinity } from '../routing/affinity';
import type { KeyRef, Plan, RouteRequest, RoutingPolicy, Tier } from '../routing/types';
import type { FittedAttachment } from '../context/fit';
import { attemptBody } from '../turn/attemptBody';
import { explainedPlan } from '../turn/sharedPlan';
import type { StickyProvider } from '../turn/sticky';
import type { Composer } from './composer';
import { toAttachmentView } from './composer';
import type { NextRoute, SendOptions } from './sessionTypes';
import { attachmentBudget, fitReport } from '../context/fit';
import { attachmentLabel } from '../context/attachment';
import { estimateTokens } from '../context/tokens';
import { AUTO_BY_TASK, AUTO_BY_TASK_DEFAULT } from '../config/defaults';
import type { TurnDraft } from '../turn/attemptBody';
import type { ConversationEnv, ConversationSettings } from '../turn/env';
import { continuationMessages } from './continuation';
import type { StoredMessage } from './conversation';
import { hasImage, visionRefusal, withImages, type ImageRef } from './images';
import { buildMessages, contentTokens, systemPrompt, userContent } from './prompt';

/** Web results asked of OpenRouter's web plugin per request (its default; the fee estimate assumes it). */
export const WEB_SEARCH_RESULTS = 5;

/** The chat's part of the environment a request needs. */
export type ChatRequestEnv = Pick<ConversationEnv, 'modelInfo' | 'router' | 'log' | 'instructions'>;

/**
 * The draft of a user turn: `past` the history before it, `urls` the data URLs of the stored
 * images it and the history carry. Old turns are left out to fit the model's context window.
 */
export function chatDraft(
  env: ChatRequestEnv,
  user: StoredMessage,
  settings: ConversationSettings,
  past: readonly StoredMessage[],
  urls: ReadonlyMap<string, string>,
  sessionId: string,
): TurnDraft<WireMessage> {
  const info = env.modelInfo(settings.model);
  const contextLength = info?.contextLength ?? DEFAULT_CONTEXT_LENGTH;
  const maxTokens = Math.min(
    settings.maxOutputTokens,
    info?.maxCompletionTokens ?? Number.POSITIVE_INFINITY,
    Math.floor(contextLength / 2),
  );
  const turn = (m: StoredMessage | undefined, text: string): string | WireContentPart[] =>
    withImages(
      text,
      (m?.images ?? []).flatMap((ref) => urls.get(ref.file) ?? []),
    );
  const current: TextMessage = { role: 'user', content: userContent(user.text, user.context) };
  // The instructions in effect count against the context like the prompt they extend.
  const system = systemPrompt(env.instructions?.());
  const fixed = estimateTokens(system) + contentTokens(turn(user, current.content));
  const historyBudget = Math.max(0, attachmentBudget(contextLength, maxTokens, fixed));
  const { messages, droppedTurns, contextLengths } = buildMessages(
    past,
    current,
    historyBudget,
    user.context,
    turn,
    user,
    system,
  );
  if (droppedTurns > 0) env.log.info(`${droppedTurns} earlier turns left out to fit ${contextLength} tokens`);
  const plugins = user.webSearch ? { plugins: [{ id: 'web' as const, max_results: WEB_SEARCH_RESULTS }] } : {};
  const body: ChatRequestBody = {
    model: settings.model,
    messages,
    stream: true,
    max_tokens: maxTokens,
    session_id: sessionId,
    ...plugins,
  };
  return { body, contextLengths, ...(user.effort ? { effort: user.effort } : {}), continueWith: continuationMessages };
}

/**
 * The request the router plans: a command's own tier (`fromCommand`), the status-bar pick unless
 * it is Auto by task (then the tiers decide; see the README's precedence table), the provider
 * that served the last turn (sticky routing).
 */
export function chatRouteRequest(
  draft: ChatRequestBody,
  settings: ConversationSettings,
  affinity: Affinity | undefined,
  commandTier?: Tier,
): RouteRequest {
  const promptTokens = draft.messages.reduce((n, m) => n + contentTokens(m.content) + 4, 0);
  // A request that carries an image (this turn's or a replayed one's) needs a model that takes images.
  const needsVision = draft.messages.some((m) => hasImage(m.content));
  const pick =
    settings.model === AUTO_BY_TASK ? { byTaskDefault: AUTO_BY_TASK_DEFAULT } : { pickedModel: settings.model };
  const tier = commandTier ?? 'chat';
  const webSearch = draft.plugins?.some((p) => p.id === 'web') ? { webSearch: true } : {};
  return {
    tier,
    ...pick,
    ...(commandTier ? { fromCommand: true } : {}),
    promptTokens,
    maxOutputTokens: draft.max_tokens ?? settings.maxOutputTokens,
    needsVision,
    needsTools: false,
    ...(affinity ? { affinity } : {}),
    ...webSearch,
  };
}

/** How one answer is sent, besides its message: `overBudgetOnce` — the user's "Send Once Anyway" on a budget block. */
export interface AnswerOptions {
  readonly overBudgetOnce?: boolean;
  /** "Send with a Smaller Context": the earlier messages of the chat stay out of this request. */
  readonly withoutHistory?: boolean;
}

/**
 * This one request's policy after "Send Once Anyway": the budgets only warn (the worst case is
 * still checked and logged); the setting itself is unchanged and the next message is checked again.
 */
export function budgetWaived(policy: RoutingPolicy): RoutingPolicy {
  return { ...policy, onBudget: 'warn' };
}

/**
 * Plans the request. A refusal (no provider can serve it, a budget, byokOnly without a BYOK
 * provider…) fails before anything is sent; a picked model that cannot see is refused with the
 * vision-only picker rather than planned around (src/routing/plan.ts would fall back to another
 * model without saying so).
 */
export async function planChat(
  env: ChatRequestEnv,
  request: RouteRequest,
  keys: readonly KeyRef[],
  model: string,
  options: AnswerOptions = {},
): Promise<Plan> {
  const picked = request.pickedModel ? env.modelInfo(request.pickedModel) : undefined;
  if (request.needsVision && picked && !picked.isRouter && !picked.supportsVision)
    throw new FailureError(visionRefusal(picked.id));
  const plan = await env.router.plan(request, keys, options.overBudgetOnce ? { adjust: budgetWaived } : {});
  for (const warning of plan.warnings) env.log.warn(`route: ${warning}`);
  if (plan.refusal && request.needsVision && plan.decisions.some((d) => d.rule === 'capability.vision'))
    throw new FailureError(
      visionRefusal(model, `No model this message may go to takes images (${plan.refusal.reason.replace(/\.$/, '')})`),
    );
  if (plan.refusal) throw new FailureError(routeRefusedFailure(plan.refusal.reason, plan.refusal.rule));
  if (!plan.attempts.length) throw new FailureError(routeRefusedFailure('The routing engine found nothing to send.'));
  return plan;
}

/** The stored user message of a send: the text, the context that went (and what was cut), the command's options. */
export function userTurn(
  text: string,
  fitted: readonly FittedAttachment[],
  images: readonly ImageRef[],
  options: SendOptions,
  id: string,
  createdAt: number,
): StoredMessage {
  const report = fitReport(fitted, attachmentLabel);
  return {
    id,
    role: 'user',
    text,
    status: 'done',
    createdAt,
    attachments: fitted.map(toAttachmentView),
    context: fitted.filter((f) => !f.dropped).map((f) => f.rendered),
    ...(images.length ? { images } : {}),
    ...(report.length ? { notices: report } : {}),
    ...(options.tier ? { tier: options.tier } : {}),
    ...(options.target ? { target: options.target } : {}),
    ...(options.use ? { use: options.use } : {}),
    ...(options.summary ? { summary: options.summary } : {}),
    ...(options.webSearch ? { webSearch: true } : {}),
    ...(options.effort ? { effort: options.effort } : {}),
  };
}

/** What the next message would go with: the chat so far, the composer's chips, the sticky provider, the session. */
export interface NextContext {
  readonly messages: readonly StoredMessage[];
  readonly composer: Composer;
  readonly sticky: StickyProvider;
  readonly sessionId: string;
}

/**
 * The route the next message would take (for "Explain Route"), with the chips attached now: the
 * plan, the request it was planned for, each attempt's body exactly as the turn layer would send
 * it (src/turn/attemptBody.ts: reasoning and breakpoints included), the keys in try order, and
 * whether and where the plan's first model gets prompt-cache breakpoints. "Search the web" is the
 * webview's toggle: the next message has the setting's default unless told otherwise.
 */
export async function planNextRoute(
  env: ConversationEnv,
  next: NextContext,
  options: { readonly webSearch?: boolean },
): Promise<NextRoute> {
  const settings = env.settings();
  const pending = next.composer.images.pending();
  const webSearch = options.webSearch ?? settings.webSearchDefault === true;
  // The next message's text is not known yet: a stand-in, so that its breakpoint is shown too.
  const draftUser: StoredMessage = {
    id: 'next',
    role: 'user',
    text: '(your next message)',
    status: 'done',
    createdAt: env.now(),
    context: next.composer
      .fit('')
      .filter((f) => !f.dropped)
      .map((f) => f.rendered),
    ...(pending.length ? { images: pending } : {}),
    ...(webSearch ? { webSearch: true } : {}),
  };
  const urls = await next.composer.images.dataUrls([...next.messages, draftUser]);
  const draft = chatDraft(env, draftUser, settings, next.messages, urls, next.sessionId);
  const request = chatRouteRequest(draft.body, settings, next.sticky.affinity);
  const keys = await env.keys.refs();
  const { plan, bodyFor } = explainedPlan(await env.router.plan(request, keys, { advance: false }), draft, env);
  const first = plan.attempts[0];
  const caching = first
    ? {
        model: first.body.model,
        ...attemptBody(draft, first.body, env).caching,
        messageCount: draft.body.messages.length,
      }
    : undefined;
  return { plan, request, body: draft.body, bodyFor, keys, ...(caching ? { caching } : {}) };
}
