/** The default OpenRouter API base URL. */
export const DEFAULT_BASE_URL = 'https://openrouter.ai/api/v1';

export type BaseUrlResult =
  { readonly ok: true; readonly url: string } | { readonly ok: false; readonly message: string };

/** True for hosts that never leave this machine: 127.0.0.0/8, localhost, ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Validates the `switchyard.baseUrl` setting: https anywhere, plain http only on loopback
 * (a local gateway or a test server). Returns the URL without a trailing slash.
 */
export function validateBaseUrl(raw: unknown): BaseUrlResult {
  if (typeof raw !== 'string' || raw.trim() === '') {
    return { ok: false, message: 'switchyard.baseUrl is empty; expected a URL such as https://openrouter.ai/api/v1.' };
  }
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    return {
      ok: false,
      message: `switchyard.baseUrl "${raw.trim()}" is not a URL; expected e.g. https://openrouter.ai/api/v1.`,
    };
  }
  if (parsed.username || parsed.password) {
    return {
      ok: false,
      message: 'switchyard.baseUrl must not contain credentials; store your key with "Switchyard: Set API Key".',
    };
  }
  const secure = parsed.protocol === 'https:';
  const loopbackHttp = parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname);
  if (!secure && !loopbackHttp) {
    return {
      ok: false,
      message: `switchyard.baseUrl must use https (plain http is allowed only for 127.0.0.1/localhost); "${parsed.origin}" was refused so your key is never sent in clear.`,
    };
  }
  parsed.hash = '';
  parsed.search = '';
  return { ok: true, url: parsed.toString().replace(/\/+$/, '') };
}

/** The site origin of an API base URL (OAuth pages live at the origin, not under /api/v1). */
export function originOf(baseUrl: string): string {
  return new URL(baseUrl).origin;
}
