/**
 * The `jsonc-parser` functions that read mcp.json files, bundled apart as dist/jsonc.js
 * (esbuild.mjs) and required by `configFiles.ts` on the first read, so activation never parses them.
 */
export { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
