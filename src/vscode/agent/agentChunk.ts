/**
 * The agent feature's lazy chunk: Agent and Plan mode (./agentMode.ts) and the agent's MCP servers,
 * instruction files and skills (./agentExtras.ts). src/vscode/services.ts requires it on first use
 * (the first view of a task, the first `/` or MCP command), never at activation; esbuild.mjs bundles
 * it as dist/agent.js, sharing the host bundle's modules instead of copying them.
 */
export { AgentMode } from './agentMode';
export { createAgentEcosystem } from './agentExtras';
