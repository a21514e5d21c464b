/** Types of scripts/sharedChunks.mjs, for test/unit/sharedChunks.test.ts. */
import type * as esbuild from 'esbuild';

export interface SharedChunk {
  /** The chunk's file name without `.js`, next to the host bundle. */
  readonly chunk: string;
  readonly entry: string;
}

export declare function buildSharedChunks(
  esbuildApi: typeof esbuild,
  host: esbuild.BuildOptions & { readonly entryPoints: string[]; readonly outfile: string },
  chunks: readonly SharedChunk[],
  chunkOptions: esbuild.BuildOptions,
): Promise<esbuild.BuildResult[]>;
