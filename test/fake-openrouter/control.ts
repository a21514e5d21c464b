/**
 * The control API under `/__control/`, so a test in another process (e.g. an extension host)
 * can script the fake. Control requests are not recorded.
 *
 *   POST   /__control/faults     {model, faults: Fault | Fault[] | null}   (model "*" = any model)
 *   POST   /__control/keys       {keys?: {[key]: KeyConfig}, only?, revoke?, restore?, outOfCredit?,
 *                                 info?: {key, data}, credits?: {total_credits, total_usage}}
 *   POST   /__control/options    {tokenDelayMs?, chunks? (null = default), usageChunk?: "empty"|"choice"|"none", answer? (null = echo),
 *                                 completions?: {latencyMs?, insertions?: [{after, insert}], fallback?},
 *                                 agentScript? (null = none; see agent.ts),
 *                                 reasoning?: {shape?: "both"|"details"|"summary", encryptedPieces?, encryptedDelayMs?} (null = default; reasoning.ts)}
 *   POST   /__control/auth-code  {challenge, ttlMs?} → {code}   (skip the consent page)
 *   POST   /__control/reset      faults, keys, options, codes, generations and requests back to start
 *   GET    /__control/requests   recorded requests (`?path=<substring>` filters)
 *   DELETE /__control/requests   forget recorded requests
 *   GET    /__control/generations  every generation served
 */
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { ChatSettings, RecordedRequest } from './chat';
import type { CompletionScript } from './completions';
import { agentScriptSchema } from './agent';
import { sendError } from './errors';
import { faultSettingSchema, type FaultBook } from './faults';
import type { GenerationStore } from './generations';
import { sendJson } from './http';
import type { KeyRegistry } from './keys';
import type { OAuthServer } from './oauth';

/** What the control API can reach. */
export interface ControlTarget {
  readonly requests: readonly RecordedRequest[];
  readonly faults: FaultBook;
  readonly keys: KeyRegistry;
  readonly oauth: OAuthServer;
  readonly generations: GenerationStore;
  setOptions(options: Partial<ChatSettings>): void;
  /** Changes how completion prompts are answered (fields given replace the current ones). */
  setCompletions(script: Partial<CompletionScript>): void;
  clearRequests(): void;
  reset(): void;
}

const keyInfoSchema = z.record(z.string(), z.unknown());
const keyConfigSchema = z.strictObject({
  status: z.enum(['ok', 'invalid', 'nocredit']).optional(),
  management: z.boolean().optional(),
  info: keyInfoSchema.optional(),
});
const keysBodySchema = z.strictObject({
  keys: z.record(z.string(), keyConfigSchema).optional(),
  only: z.boolean().optional(),
  revoke: z.string().optional(),
  restore: z.string().optional(),
  outOfCredit: z.string().optional(),
  info: z.strictObject({ key: z.string(), data: keyInfoSchema }).optional(),
  credits: z.strictObject({ total_credits: z.number(), total_usage: z.number() }).optional(),
});
const faultsBodySchema = z.strictObject({ model: z.string().min(1), faults: faultSettingSchema.optional() });
const completionsSchema = z.strictObject({
  latencyMs: z.number().min(0).optional(),
  insertions: z.array(z.strictObject({ after: z.string(), insert: z.string() })).optional(),
  fallback: z.string().optional(),
});
const reasoningSchema = z.strictObject({
  shape: z.enum(['both', 'details', 'summary']).optional(),
  encryptedPieces: z.number().int().min(0).max(1000).optional(),
  encryptedDelayMs: z.number().min(0).optional(),
});
const optionsBodySchema = z.strictObject({
  tokenDelayMs: z.number().min(0).optional(),
  chunks: z.number().int().min(1).nullable().optional(),
  usageChunk: z.enum(['empty', 'choice', 'none']).optional(),
  answer: z.string().nullable().optional(),
  cacheMinTokens: z.number().int().min(1).optional(),
  completions: completionsSchema.optional(),
  agentScript: agentScriptSchema.nullable().optional(),
  reasoning: reasoningSchema.nullable().optional(),
});
const authCodeBodySchema = z.strictObject({ challenge: z.string(), ttlMs: z.number().optional() });

function invalid(res: ServerResponse, error: z.ZodError): void {
  sendError(
    res,
    400,
    `bad control request: ${error.issues.map((i) => `${i.path.join('.') || '/'} ${i.message}`).join('; ')}`,
    { error_type: 'invalid_request' },
  );
}

/** Handles one `/__control/…` request. */
export function handleControl(
  res: ServerResponse,
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
  target: ControlTarget,
): void {
  const action = `${method} ${path.slice('/__control'.length)}`;
  switch (action) {
    case 'GET /requests': {
      const filter = query.get('path');
      return sendJson(res, 200, filter ? target.requests.filter((r) => r.path.includes(filter)) : target.requests);
    }
    case 'DELETE /requests':
      target.clearRequests();
      return sendJson(res, 200, { ok: true });
    case 'GET /generations':
      return sendJson(res, 200, target.generations.all());
    case 'POST /reset':
      target.reset();
      return sendJson(res, 200, { ok: true });
    case 'POST /faults': {
      const parsed = faultsBodySchema.safeParse(body);
      if (!parsed.success) return invalid(res, parsed.error);
      target.faults.set(parsed.data.model, parsed.data.faults ?? undefined);
      return sendJson(res, 200, { ok: true });
    }
    case 'POST /keys': {
      const parsed = keysBodySchema.safeParse(body);
      if (!parsed.success) return invalid(res, parsed.error);
      const b = parsed.data;
      if (b.keys || b.only !== undefined) target.keys.setKeys(b.keys ?? {}, { only: b.only });
      if (b.revoke) target.keys.revoke(b.revoke);
      if (b.restore) target.keys.restore(b.restore);
      if (b.outOfCredit) target.keys.setOutOfCredit(b.outOfCredit);
      if (b.info) target.keys.setInfo(b.info.key, b.info.data);
      if (b.credits) target.keys.setCredits(b.credits);
      return sendJson(res, 200, { ok: true });
    }
    case 'POST /options': {
      const parsed = optionsBodySchema.safeParse(body);
      if (!parsed.success) return invalid(res, parsed.error);
      const { chunks, answer, completions, agentScript, reasoning, ...rest } = parsed.data;
      target.setOptions({
        ...rest,
        ...(reasoning !== undefined ? { reasoning: reasoning ?? undefined } : {}),
        ...(chunks !== undefined ? { chunks: chunks ?? undefined } : {}),
        ...(answer !== undefined ? { answer: answer ?? undefined } : {}),
        ...(agentScript !== undefined ? { agentScript: agentScript ?? undefined } : {}),
      });
      if (completions) target.setCompletions(completions);
      return sendJson(res, 200, { ok: true });
    }
    case 'POST /auth-code': {
      const parsed = authCodeBodySchema.safeParse(body);
      if (!parsed.success) return invalid(res, parsed.error);
      return sendJson(res, 200, { code: target.oauth.mint(parsed.data.challenge, { ttlMs: parsed.data.ttlMs }) });
    }
    default:
      return sendError(res, 404, `unknown control request ${action}`, { error_type: 'not_found' });
  }
}
