/** A plan as a readable Markdown document ("Switchyard: Explain Route"). */
import { formatUsd } from '../protocol/units';
import { describeCaching, type Breakpoint, type CachingMode } from '../openrouter/promptCache';
import type { Decision, Plan } from './types';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function decisionRow(d: Decision): string {
  return `| \`${cell(d.model)}\` | ${d.provider ? `\`${cell(d.provider)}\`` : ''} | \`${cell(d.rule)}\` | ${cell(d.detail)} |`;
}

/**
 * Renders a plan: the refusal if any, the candidates in order with the rule that placed each,
 * the exclusions with their reasons, the attempts with their request bodies (JSON), the worst-case
 * cost, warnings and compiler notes.
 */
export function explainPlan(plan: Plan): string {
  const out: string[] = ['# Route plan', ''];
  if (plan.refusal) {
    out.push(`**Refused before sending** (\`${plan.refusal.rule}\`): ${plan.refusal.reason}`, '');
  }
  const placed = plan.decisions.filter((d) => d.verdict === 'placed' && !d.rule.startsWith('provider.remains'));
  if (placed.length > 0) {
    out.push('## Candidates, in order', '');
    placed.forEach((d, i) => out.push(`${i + 1}. \`${d.model}\`${d.provider ? ` via \`${d.provider}\`` : ''} — \`${d.rule}\`: ${d.detail}`));
    out.push('');
  }
  const reachable = plan.decisions.filter((d) => d.verdict === 'placed' && d.rule === 'provider.remains');
  if (reachable.length > 0) {
    out.push('## Providers still reachable', '');
    for (const d of reachable) out.push(`- \`${d.model}\` → \`${d.provider ?? '?'}\``);
    out.push('');
  }
  const excluded = plan.decisions.filter((d) => d.verdict === 'excluded');
  if (excluded.length > 0) {
    out.push('## Excluded', '', '| model | provider | rule | why |', '|---|---|---|---|', ...excluded.map(decisionRow), '');
  }
  if (plan.attempts.length > 0) {
    out.push('## Attempts', '');
    const firstProvider = JSON.stringify(plan.attempts[0]?.body.provider ?? null);
    plan.attempts.forEach((a, i) => {
      const confirm = a.needsConfirmation ? ` — **asks first**: ${a.needsConfirmation}` : '';
      const title = a.body.models ? `\`${a.body.models.join('` → `')}\` (OpenRouter fails over)` : `\`${a.body.model}\``;
      // The first body in full; later ones only when their provider object differs.
      const full = i === 0 || JSON.stringify(a.body.provider ?? null) !== firstProvider;
      out.push(`${i + 1}. ${title} — key \`${a.keyId}\`, worst case ${formatUsd(a.worstCaseUsd)}${confirm}`);
      if (full) out.push('', '```json', JSON.stringify(a.body, null, 2), '```', '');
    });
    out.push('');
  }
  out.push('## Budget', '', `Worst case of the first attempt: ${formatUsd(plan.worstCaseUsd)}.`, '');
  if (plan.warnings.length > 0) out.push('## Warnings', '', ...plan.warnings.map((w) => `- ${w}`), '');
  if (plan.notes.length > 0) out.push('## Notes', '', ...plan.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
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
export function explainCaching(caching: { readonly model: string; readonly mode: CachingMode; readonly breakpoints: readonly Breakpoint[]; readonly messageCount: number }): string[] {
  return ['## Prompt caching', '', describeCaching(caching.model, caching.mode, caching.breakpoints, caching.messageCount), ''];
}
