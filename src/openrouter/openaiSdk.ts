/**
 * The pieces of the `openai` SDK the client uses. Bundled apart as dist/openaiSdk.js (esbuild.mjs)
 * and required by `client.ts` on the first chat request, so activation never parses the SDK.
 */
export { OpenAI } from 'openai/client';
export { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai/error';
