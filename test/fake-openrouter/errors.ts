/** OpenRouter's error envelope (contract §0, §3) and the fake's default message per status. */
import type { ServerResponse } from 'node:http';
import { sendJson } from './http';

/** The `user_id` every fake error carries. */
export const FAKE_USER_ID = 'user_fake';

/** `error` of the envelope: `code` equals the HTTP status. */
export interface WireError {
  readonly code: number;
  readonly message: string;
  readonly metadata?: Readonly<Record<string, unknown>> | null;
}

/** `{"error":{code,message,metadata},"user_id"}`: the body of every non-2xx answer. */
export interface ErrorEnvelope {
  readonly error: WireError;
  readonly user_id: string;
}

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request',
  401: 'authentication',
  402: 'payment_required',
  403: 'permission_denied',
  404: 'not_found',
  408: 'timeout',
  413: 'payload_too_large',
  422: 'unprocessable',
  429: 'rate_limit_exceeded',
  500: 'server',
  502: 'provider_unavailable',
  503: 'provider_overloaded',
  504: 'timeout',
  524: 'timeout',
  529: 'provider_overloaded',
};

/** `metadata.error_type` for a status (`unmapped` when the contract names none). */
export function errorTypeFor(status: number): string {
  return ERROR_TYPES[status] ?? 'unmapped';
}

const MESSAGES: Readonly<Record<number, string>> = {
  400: 'Invalid request parameters',
  401: 'User not found.',
  402: 'This request requires more credits, or fewer max_tokens. You requested up to 16384 tokens, but can only afford 1056. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account',
  403: 'Permission denied',
  404: 'No endpoints found that support tool use',
  408: 'Request timed out',
  429: 'Rate limit exceeded',
  500: 'Internal Server Error',
  502: 'Provider returned error',
  503: 'No available providers could handle the request',
  504: 'Gateway timeout',
  524: 'Provider timed out (edge timeout)',
  529: 'Provider is overloaded',
};

/** A realistic message for a status. */
export function defaultMessageFor(status: number): string {
  return MESSAGES[status] ?? `Error ${status}`;
}

/** Builds the envelope; `metadata` undefined omits the key, null sends `"metadata":null`. */
export function errorEnvelope(
  status: number,
  message: string,
  metadata?: Readonly<Record<string, unknown>> | null,
): ErrorEnvelope {
  return { error: { code: status, message, ...(metadata !== undefined ? { metadata } : {}) }, user_id: FAKE_USER_ID };
}

/** Sends an error in the envelope, with `metadata.error_type` filled in unless given (or null). */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  metadata?: Readonly<Record<string, unknown>> | null,
  headers: Readonly<Record<string, string>> = {},
): void {
  const meta = metadata === null ? null : { error_type: errorTypeFor(status), ...metadata };
  sendJson(res, status, errorEnvelope(status, message, meta), headers);
}
