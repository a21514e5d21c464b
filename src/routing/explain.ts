/**
 * A plan as a readable Markdown document ("Switchyard: Explain Route"), shown rendered in VS
 * Code's Markdown preview. Model, provider and key names come from the catalogue, the endpoints
 * and the user: they are written only through `code` and `text` (./markdown.ts), so none of them
 * can open a link, an HTML tag or a table cell of its own.
 */
import { formatUsd } from '../protocol/units';
import { code, text } from './markdown';
import type { Attempt, Decision, KeyRef, Plan, RouteRequest } from './types';
import { describeCaching, type Breakpoint, type CachingMode } from '../openrouter/promptCache';

/** What "Explain Route" knows besides the plan; each part is optional (a bare plan renders too). */
export interface ExplainContext {
  /** The request the plan was made for (tier, pick, token estimates, sticky routing). */
  readonly request?: RouteRequest;
  /**
   * Each attempt's body exactly as it would be sent (the turn layer's `attemptBody`, reasoning and
   * cache breakpoints included); shown with its messages elided.
   */
  readonly bodyFor?: (attempt: Attempt) => Readonly<Record<string, unknown>>;
  /** The key pool in try order, to name keys by their labels. */
  readonly keys?: readonly KeyRef[];
  /** Switchyard's own spend ledger now (USD, local calendar), the figure budgets are checked against. */
  readonly spend?: { readonly todayUsd: number; readonly monthUsd: number };
  /** Whether and where the next request sets prompt-cache breakpoints (the "Prompt caching" section). */
  readonly caching?: ExplainCaching;
}

/** The prompt-cache decision for the plan's first model (src/openrouter/promptCache.ts). */
export interface ExplainCaching {
  readonly model: string;
  readonly mode: CachingMode;
  readonly breakpoints: readonly Breakpoint[];
  readonly messageCount: number;
}

function decisionRow(d: Decision): string {
  return `| ${code(d.model, true)} | ${d.provider ? code(d.provider, true) : ''} | ${code(d.rule, true)} | ${text(d.detail)} |`;
}

/**
 * Renders a plan: the request and what the spend figures count (with `context.request`/`spend`),
 * the refusal if any, the candidates in order with the rule that placed each, the exclusions with
 * their reasons, the attempts with their keys (by label) and request bodies (JSON, messages
 * elided), the worst-case cost, warnings and compiler notes.
 */
export function explainPlan(plan: Plan, context: ExplainContext = {}): string {
  const out: string[] = ['# Route plan', ''];
  out.push(...requestSection(plan, context));
  if (plan.refusal) {
    out.push(`**Refused before sending** (${code(plan.refusal.rule)}): ${text(plan.refusal.reason)}`, '');
  }
  out.push(...candidateSections(plan));
  if (plan.attempts.length > 0) out.push('## Attempts', '', ...attemptLines(plan.attempts, context), '');
  out.push('## Budget', '', `Worst case of the first attempt: ${formatUsd(plan.worstCaseUsd)}.`, '');
  out.push(...spendSection(context));
  if (context.caching) out.push(...explainCaching(context.caching));
  if (plan.warnings.length > 0) out.push('## Warnings', '', ...plan.warnings.map((w) => `- ${text(w)}`), '');
  if (plan.notes.length > 0) out.push('## Notes', '', ...plan.notes.map((n) => `- ${text(n)}`), '');
  return out.join('\n');
}

/** The request line, the rule that decided, sticky routing (quote block); nothing without a request. */
function requestSection(plan: Plan, { request }: ExplainContext): string[] {
  if (!request) return [];
  const pick = request.pickedModel ? code(request.pickedModel) : '**Auto by task**';
  const lines = [
    `> Request: tier ${code(request.tier)}${request.fromCommand ? ' (a command)' : ''}, pick ${pick}, \\~${request.promptTokens} prompt tokens + ${request.maxOutputTokens} output tokens.`,
    '>',
    `> Decided by: ${code(decidedBy(plan) ?? 'nothing (refused)')}.`,
  ];
  if (request.affinity)
    lines.push(
      '>',
      `> Sticky routing: the last turn was served by ${code(request.affinity.provider)} (${code(request.affinity.model)}).`,
    );
  return [...lines, ''];
}

/** Candidates in order, providers still reachable, exclusions (table). */
/**
 * Each candidate once, by model id and provider route (`model@provider`; a model without a route
 * is one candidate whatever its providers): the first decision that placed it is kept, in order.
 */
export function onceEach(decisions: readonly Decision[]): Decision[] {
  const seen = new Set<string>();
  return decisions.filter((d) => {
    const key = `${d.model}@${d.provider ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * What Explain Route shows at once, while the plan is made (the model list, the providers'
 * endpoints and the token count may take a while on a first run): the title, that the rest is on
 * its way, and the spend figures, which are known already. The same document fills in by itself.
 */
export function planningDocument(context: Pick<ExplainContext, 'spend'> = {}): string {
  return [
    '# Route plan',
    '',
    '_Planning the route of your next message: reading the model list and the providers, counting the tokens… This page fills in by itself._',
    '',
    ...spendSection(context),
  ].join('\n');
}

/** Explain Route when the plan could not be made: why, and that running it again retries. */
export function planningFailedDocument(reason: string): string {
  return [
    '# Route plan',
    '',
    `**Could not plan the route:** ${text(reason)}`,
    '',
    'Run Explain Route again to retry.',
  ].join('\n');
}

function candidateSections(plan: Plan): string[] {
  const out: string[] = [];
  // Sticky routing re-decides a placed model's provider: its own list, so no model is listed twice.
  const sticky = plan.decisions.filter((d) => d.verdict === 'placed' && d.rule.startsWith('affinity.'));
  const placed = onceEach(
    plan.decisions.filter(
      (d) => d.verdict === 'placed' && !d.rule.startsWith('provider.remains') && !sticky.includes(d),
    ),
  );
  if (placed.length > 0) {
    out.push('## Candidates, in order', '');
    placed.forEach((d, i) =>
      out.push(
        `${i + 1}. ${code(d.model)}${d.provider ? ` via ${code(d.provider)}` : ''} — ${code(d.rule)}: ${text(d.detail)}`,
      ),
    );
    out.push('');
  }
  if (sticky.length > 0) {
    out.push('## Sticky routing', '');
    for (const d of sticky)
      out.push(
        `- ${code(d.model)}${d.provider ? ` via ${code(d.provider)}` : ''} — ${code(d.rule)}: ${text(d.detail)}`,
      );
    out.push('');
  }
  const reachable = plan.decisions.filter((d) => d.verdict === 'placed' && d.rule === 'provider.remains');
  if (reachable.length > 0) {
    out.push('## Providers still reachable', '');
    for (const d of reachable) out.push(`- ${code(d.model)} → ${code(d.provider ?? '?')}`);
    out.push('');
  }
  const excluded = plan.decisions.filter((d) => d.verdict === 'excluded');
  if (excluded.length > 0)
    out.push(
      '## Excluded',
      '',
      '| model | provider | rule | why |',
      '|---|---|---|---|',
      ...excluded.map(decisionRow),
      '',
    );
  return out;
}

/**
 * One item per attempt: its models, its key by label, its worst case; the first body in full,
 * later ones only when their provider object differs (the rest differ by `model` alone).
 */
function attemptLines(attempts: readonly Attempt[], { bodyFor, keys }: ExplainContext): string[] {
  const out: string[] = [];
  const firstProvider = JSON.stringify(attempts[0]?.body.provider ?? null);
  attempts.forEach((a, i) => {
    const confirm = a.needsConfirmation ? ` — **asks first**: ${text(a.needsConfirmation)}` : '';
    const title = a.body.models
      ? `${a.body.models.map((m) => code(m)).join(' → ')} (OpenRouter fails over)`
      : code(a.body.model);
    const full = i === 0 || JSON.stringify(a.body.provider ?? null) !== firstProvider;
    out.push(`${i + 1}. ${title} — key ${keyName(a.keyId, keys)}, worst case ${formatUsd(a.worstCaseUsd)}${confirm}`);
    if (full)
      out.push(
        '',
        '   ```json',
        ...JSON.stringify(shownBody(a, bodyFor), null, 2)
          .split('\n')
          .map((l) => `   ${l}`),
        '   ```',
        '',
      );
  });
  return out;
}

/** A key by its label ("Work"), the id only when the pool no longer has it. */
function keyName(id: string, keys: readonly KeyRef[] | undefined): string {
  const label = keys?.find((k) => k.id === id)?.label;
  return label ? code(label) : keys ? `${code(id)} (no longer in the pool)` : code(id);
}

/** The body as sent (from `bodyFor`) with `messages` replaced by their count; the routing fields alone without. */
export function shownBody(attempt: Attempt, bodyFor: ExplainContext['bodyFor']): Record<string, unknown> {
  if (!bodyFor) return { ...attempt.body };
  const body = bodyFor(attempt);
  const n = Array.isArray(body.messages) ? body.messages.length : 0;
  return { ...body, messages: `[${n} message${n === 1 ? '' : 's'} elided]` };
}

/**
 * Switchyard's spend versus the chat header's "today": the two figures count different things,
 * so the document says what each counts (one wording, see README "Budgets").
 */
function spendSection({ spend }: ExplainContext): string[] {
  if (!spend) return [];
  return [
    `**Spent by Switchyard:** ${formatUsd(spend.todayUsd)} today, ${formatUsd(spend.monthUsd)} this month — what chat answers, agent tasks and inline completions in this VS Code cost (local calendar day and month). The budgets in \`switchyard.routing.budgets\` are checked against these figures.`,
    '',
    `**The chat header's "today"** is OpenRouter's figure for your key(s): everything billed to them today (UTC day), from any app or machine. It can be higher than Switchyard's.`,
    '',
  ];
}

/**
 * The rule that chose the first model of the plan (`pick`, `preferredModel`, `tier:edit`,
 * `autoByTask.default`…), for "which tier decided"; undefined for an empty plan.
 */
export function decidedBy(plan: Plan): string | undefined {
  const first = plan.attempts[0]?.body.model;
  return plan.decisions.find((d) => d.verdict === 'placed' && !d.provider && d.model === first)?.rule;
}

/**
 * The "Prompt caching" section of Explain Route: whether and where the next request sets
 * `cache_control` breakpoints for the plan's first model (rule: src/openrouter/promptCache.ts).
 */
export function explainCaching(caching: ExplainCaching): string[] {
  return [
    '## Prompt caching',
    '',
    describeCaching(code(caching.model), caching.mode, caching.breakpoints, caching.messageCount),
    '',
  ];
}
