/**
 * The layers of src/ hold: ESLint (with the repository's own eslint.config.mjs) fails on an import
 * against the layer direction — checked for every forbidden pair of folders with a fixture — and
 * passes the allowed ones; and the files of src/ form no import cycle.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import { LAYERS, PURE_FOLDERS } from '../../eslint.config.mjs';

const root = resolve(import.meta.dirname, '../..');
const RULE = '@typescript-eslint/no-restricted-imports';
const folders = Object.keys(LAYERS);

async function importErrors(eslint: ESLint, file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('layers (eslint.config.mjs)', () => {
  const eslint = new ESLint({ cwd: root });

  it('rejects a deliberate upward import (the wire importing the routing engine)', async () => {
    const errors = await importErrors(
      eslint,
      'src/openrouter/fixture.ts',
      "import type { Plan } from '../routing/types';\nexport type P = Plan;\n",
    );
    assert.equal(errors.length, 1, 'one layering error');
    assert.match(errors[0]!, /src\/openrouter\/ may not import src\/routing\//);
  });

  it('rejects every forbidden pair of folders and accepts every allowed one', async () => {
    let rejected = 0;
    for (const folder of folders) {
      for (const other of folders) {
        if (other === folder) continue;
        const allowed = LAYERS[folder]!.includes(other);
        // A nested file too: the rule must not depend on how many `../` an import needs.
        for (const file of [`src/${folder}/fixture.ts`, `src/${folder}/nested/fixture.ts`]) {
          const up = file.includes('/nested/') ? '../../' : '../';
          const errors = await importErrors(
            eslint,
            file,
            `import { thing } from '${up}${other}/module';\nexport const value = thing;\n`,
          );
          assert.equal(
            errors.length,
            allowed ? 0 : 1,
            `${file} importing src/${other}/: ${allowed ? 'allowed' : 'forbidden'} (${errors.join('; ')})`,
          );
          if (!allowed) rejected++;
        }
      }
    }
    assert.ok(rejected > 100, `${rejected} forbidden imports checked`);
  });

  it('keeps vscode out of every pure folder, type imports included, and lets npm packages through', async () => {
    for (const folder of PURE_FOLDERS) {
      const errors = await importErrors(
        eslint,
        `src/${folder}/fixture.ts`,
        "import type * as vscode from 'vscode';\nexport type U = vscode.Uri;\n",
      );
      assert.equal(errors.length, 1, `src/${folder}/ importing vscode`);
    }
    assert.deepEqual(
      await importErrors(
        eslint,
        'src/vscode/fixture.ts',
        "import * as vscode from 'vscode';\nexport const u = vscode.Uri;\n",
      ),
      [],
    );
    // A package path that contains a folder's name (openai's `chat/completions`) is not a layer.
    assert.deepEqual(
      await importErrors(
        eslint,
        'src/openrouter/fixture.ts',
        "import type { ChatCompletion } from 'openai/resources/chat/completions';\nexport type C = ChatCompletion;\n",
      ),
      [],
    );
  });
});

/** Every relative import of every .ts file under src/, as a graph of repository-relative paths. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8');
        const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map(
          (m) => relative(root, resolve(dirname(path), m[1]!)).replace(/\.js$/, '') + '.ts',
        );
        graph.set(relative(root, path), targets);
      }
    }
  };
  walk(join(root, 'src'));
  return graph;
}

describe('import graph of src/', () => {
  it('has no cycle', () => {
    const graph = importGraph();
    assert.ok(graph.size > 50, `${graph.size} files read`);
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) if (graph.has(next)) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    assert.deepEqual(cycles, []);
  });

  it('has no cycle between folders either (every folder-to-folder import is allowed by LAYERS)', () => {
    const folderOf = (file: string): string => file.split('/')[1]!.replace(/\.ts$/, '');
    const against: string[] = [];
    for (const [file, targets] of importGraph()) {
      const from = folderOf(file);
      for (const target of targets) {
        const to = folderOf(target);
        if (from === to || !(from in LAYERS)) continue;
        if (!LAYERS[from]!.includes(to)) against.push(`${file} → ${target}`);
      }
    }
    assert.deepEqual(against, []);
  });
});
