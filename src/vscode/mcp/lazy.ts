/**
 * Loads the MCP client bundle (`dist/mcp.js`, the SDK and ajv) on first use: esbuild leaves this
 * require as `require("./mcp.js")` (see esbuild.mjs), so activation never pays for it.
 */
type Runtime = typeof import('./runtime');

let runtime: Runtime | undefined;

export function mcpRuntime(): Runtime {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  runtime ??= require('./runtime') as Runtime;
  return runtime;
}

/** Whether the MCP client has been loaded (activation must not load it). */
export function mcpRuntimeLoaded(): boolean {
  return runtime !== undefined;
}
