/**
 * Lazy chunks that share the host bundle's modules (esbuild.mjs). A chunk bundled on its own would
 * carry its own copy of every module it imports: a second `FailureError` class (so `instanceof`
 * fails across the two), a second secret registry (so a key registered by the host would not be
 * redacted by the chunk's logs), a second zod. Instead:
 *
 * 1. the host bundle is built once without writing, to learn which modules it holds;
 * 2. each chunk is built with every import of such a module replaced by a lookup in the host's
 *    module table (`globalThis[Symbol.for('switchyard.hostModules')]`, keyed by source path);
 * 3. the host bundle is built from an entry that re-exports src/extension.ts and fills that table
 *    with the namespaces the chunks use, so there is one instance of each module.
 *
 * A chunk is required only after activation (when the host bundle has run), by a plain
 * `require('./<request>')` in its one importer, left as `require("./<chunk>.js")`.
 */
import path from 'node:path';

const TABLE = "globalThis[Symbol.for('switchyard.hostModules')]";
const HOST_ENTRY = 'switchyard-host-entry';

/** A module's key in the table: its path relative to the project, with forward slashes (as in esbuild's metafile). */
function moduleKey(root, file) {
  return path.relative(root, file).split(path.sep).join('/');
}

/** Resolves every import the host bundle also holds to the host's instance (and records which). */
function shareHostModules(root, hostModules, used) {
  return {
    name: 'share-host-modules',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || args.pluginData?.sharing) return undefined;
        const resolved = await build.resolve(args.path, {
          importer: args.importer,
          resolveDir: args.resolveDir,
          kind: args.kind,
          pluginData: { sharing: true },
        });
        if (resolved.errors.length > 0 || resolved.external || !resolved.path) return undefined;
        const key = moduleKey(root, resolved.path);
        // Only our own modules: a package the chunk uses is bundled into it (sharing a package's
        // namespace would keep all of it in the host bundle; zod, the one both use, keeps no state
        // of its own outside globalThis and checks instances by traits, not classes).
        if (!key.startsWith('src/') || !hostModules.has(key)) return undefined;
        used.add(key);
        return { path: key, namespace: 'host-module' };
      });
      build.onLoad({ filter: /.*/, namespace: 'host-module' }, (args) => ({
        contents: `var table = ${TABLE};
if (!table || !(${JSON.stringify(args.path)} in table)) throw new Error(${JSON.stringify(`Switchyard: the host bundle does not share ${args.path}; rebuild with esbuild.mjs`)});
module.exports = table[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}

/** The host's entry: src/extension.ts's exports, and the table of the modules the chunks share. */
function hostEntry(root, entryPoint, shared) {
  const keys = [...shared].sort();
  return {
    name: 'host-entry',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${HOST_ENTRY}$`) }, () => ({ path: HOST_ENTRY, namespace: HOST_ENTRY }));
      build.onLoad({ filter: /.*/, namespace: HOST_ENTRY }, () => ({
        contents: [
          `export * from ${JSON.stringify(`./${entryPoint}`)};`,
          ...keys.map((key, i) => `import * as m${i} from ${JSON.stringify(`./${key}`)};`),
          `${TABLE} = { ${keys.map((key, i) => `${JSON.stringify(key)}: m${i}`).join(', ')} };`,
        ].join('\n'),
        resolveDir: root,
        loader: 'js',
      }));
    },
  };
}

/**
 * Builds the host bundle and its shared chunks (`{ chunk, entry }`, each already external in the
 * host's options). Returns the esbuild results, host first.
 */
export async function buildSharedChunks(esbuild, host, chunks, chunkOptions) {
  const root = host.absWorkingDir ?? process.cwd();
  const probe = await esbuild.build({ ...host, write: false, metafile: true, logLevel: 'silent' });
  const hostModules = new Set(Object.keys(probe.metafile.inputs));
  const used = new Set();
  const chunkResults = await Promise.all(
    chunks.map(({ chunk, entry }) =>
      esbuild.build({
        ...chunkOptions,
        entryPoints: [entry],
        outfile: path.join(path.dirname(host.outfile), `${chunk}.js`),
        plugins: [shareHostModules(root, hostModules, used), ...(chunkOptions.plugins ?? [])],
      }),
    ),
  );
  const [entryPoint] = host.entryPoints;
  const hostResult = await esbuild.build({
    ...host,
    entryPoints: [HOST_ENTRY],
    plugins: [hostEntry(root, entryPoint, used), ...(host.plugins ?? [])],
  });
  return [hostResult, ...chunkResults];
}
