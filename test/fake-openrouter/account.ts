/** `GET /key`, `GET /credits`, `GET /generation?id=` (contract §6, §8): all need a valid key. */
import type { ServerResponse } from 'node:http';
import { sendError } from './errors';
import { generationWire, type GenerationStore } from './generations';
import { sendJson } from './http';
import type { KeyRegistry } from './keys';

/** `GET /key`: the calling key's limits and usage. */
export function keyRoute(res: ServerResponse, keys: KeyRegistry, key: string): void {
  sendJson(res, 200, { data: keys.keyInfo(key) });
}

/** `GET /credits`: management keys only (403 otherwise). */
export function creditsRoute(res: ServerResponse, keys: KeyRegistry, key: string): void {
  if (!keys.isManagement(key))
    return sendError(res, 403, 'Only management keys can fetch credits', { error_type: 'permission_denied' });
  sendJson(res, 200, { data: keys.creditsInfo() });
}

/** `GET /generation?id=gen-…`: 404 for unknown ids (and, with a lag set, for fresh ones). */
export function generationRoute(res: ServerResponse, generations: GenerationStore, id: string | null): void {
  if (!id) return sendError(res, 400, 'id is required', { error_type: 'invalid_request' });
  const gen = generations.get(id);
  if (!gen) return sendError(res, 404, `Generation ${id} not found`, { error_type: 'not_found' });
  sendJson(res, 200, { data: generationWire(gen) });
}
