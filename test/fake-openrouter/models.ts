/** `GET /models` and `GET /models/{author}/{slug}/endpoints` (contract §4–5); both answer without auth. */
import type { ServerResponse } from 'node:http';
import type { Catalogue, WireModel } from './catalogue';
import { sendError } from './errors';
import { asRecord, sendJson } from './http';

const list = (value: string | null): string[] =>
  value
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

function stringsOf(value: unknown): readonly string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function keeps(model: WireModel, params: readonly string[], outputs: readonly string[]): boolean {
  const supported = stringsOf(model.supported_parameters);
  const produced = stringsOf(asRecord(model.architecture).output_modalities);
  return params.every((p) => supported.includes(p)) && outputs.every((o) => produced.includes(o));
}

/**
 * `GET /models`: the full list, filtered by `supported_parameters` (all of them) and
 * `output_modalities` (`all` = no filter), paged only when `offset`/`limit` are given.
 */
export function listModels(res: ServerResponse, catalogue: Catalogue, query: URLSearchParams): void {
  const params = list(query.get('supported_parameters'));
  const outputs = list(query.get('output_modalities')).filter((o) => o !== 'all');
  const matching =
    params.length || outputs.length ? catalogue.models.filter((m) => keeps(m, params, outputs)) : catalogue.models;
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const limit = query.has('limit') ? Math.max(0, Number(query.get('limit')) || 0) : undefined;
  const data = limit === undefined ? matching.slice(offset) : matching.slice(offset, offset + limit);
  const more = limit !== undefined && offset + limit < matching.length;
  const next = more
    ? `/api/v1/models?${new URLSearchParams({ ...Object.fromEntries(query), offset: String(offset + limit), limit: String(limit) })}`
    : null;
  sendJson(res, 200, { data, total_count: matching.length, links: { next } });
}

/** `GET /models/{id}/endpoints`; latency and throughput are null without a valid key. */
export function listEndpoints(res: ServerResponse, catalogue: Catalogue, id: string, authenticated: boolean): void {
  const model = catalogue.model(id);
  const endpoints = catalogue.endpoints.get(id);
  if (!model || !endpoints) return sendError(res, 404, `Model ${id} not found`, { error_type: 'not_found' });
  const shown = authenticated
    ? endpoints
    : endpoints.map((e) => ({ ...e, latency_last_30m: null, throughput_last_30m: null }));
  sendJson(res, 200, {
    data: {
      id,
      name: model.name,
      created: model.created,
      description: model.description,
      architecture: model.architecture,
      endpoints: shown,
    },
  });
}
