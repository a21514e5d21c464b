/**
 * An approved command that writes a protected path fails inside the sandbox (the path is held
 * read-only whatever the approval); its result must say why (src/agent/sandbox/readOnlyNote.ts),
 * not leave the model with a bare "Read-only file system". The real thing in bubblewrap: the
 * shell's, cp's and git's own error texts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { bwrapArguments } from '../../src/agent/sandbox/bwrap';
import { ProtectedPlaceholders } from '../../src/agent/sandbox/placeholders';
import { DEFAULT_APPROVAL } from '../../src/agent/policy';
import { readOnlyNote, readOnlyProtected } from '../../src/agent/sandbox/readOnlyNote';
import { BWRAP, bwrapWorks } from './bwrapHere';
import { commandVerdict, testShellParser } from './shellGrammar';

const AUTO_COMMANDS = { ...DEFAULT_APPROVAL, autoApprove: { read: true, edit: false, command: true } };
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('readOnlyNote', () => {
  it('names the protected paths of read-only errors, in every program’s wording', () => {
    const cases: [string, string[]][] = [
      ['bash: line 1: .vscode/tasks.json: Read-only file system', ['.vscode/tasks.json']],
      ["cp: cannot create regular file '.envrc': Read-only file system", ['.envrc']],
      ['error: could not lock config file .git/config: Read-only file system', ['.git/config']],
      ["touch: cannot touch './.github/workflows/x.yml': Read-only file system", ['.github/workflows/x.yml']],
      ["Error: EROFS: read-only file system, open '.npmrc'", ['.npmrc']],
      ['sed: couldn’t open temporary file .husky/sedX: Read-only file system', ['.husky/sedX']],
    ];
    for (const [output, names] of cases) {
      assert.deepEqual(readOnlyProtected(`x\n${output}\n`), names, output);
      assert.match(readOnlyNote(output) ?? '', /held read-only inside the sandbox even for an approved command/);
    }
  });

  it('says nothing for other failures, or read-only errors on ordinary paths', () => {
    for (const output of [
      'bash: .vscode/tasks.json: Permission denied',
      'src/a.ts: Read-only file system',
      'mentions .envrc but wrote nothing',
      '',
    ])
      assert.equal(readOnlyNote(output), undefined, output);
  });
});

describe('the card of a command that writes a protected path', () => {
  it('says before Approve that the sandbox keeps the path read-only (sandboxed only)', async () => {
    const parser = await testShellParser();
    for (const command of ['echo hi > .vscode/tasks.json', 'cp x .envrc', "bash -c 'cp x .github/workflows/a.yml'"]) {
      assert.match(commandVerdict(parser, command, AUTO_COMMANDS).reason, /keeps protected paths read-only/, command);
      assert.doesNotMatch(commandVerdict(parser, command, AUTO_COMMANDS, false).reason, /keeps protected/, command);
    }
    assert.doesNotMatch(commandVerdict(parser, 'sudo id', AUTO_COMMANDS).reason, /keeps protected/);
  });
});

describe(
  'an approved write of a protected path, in the sandbox',
  { skip: bwrapWorks ? false : 'no bubblewrap' },
  () => {
    it('fails, and the note says it was held read-only', () => {
      for (const command of [
        'echo hi > .vscode/tasks.json',
        'cp a.txt .envrc',
        'git config core.hooksPath h',
        'mkdir -p .github/workflows && echo x > .github/workflows/x.yml',
      ]) {
        const ws = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'switchyard-ro-')));
        dirs.push(ws);
        spawnSync('git', ['init', '-q', ws]);
        writeFileSync(path.join(ws, 'a.txt'), 'a');
        const held = new ProtectedPlaceholders().hold([ws]);
        let output: string;
        try {
          const plan = { writable: [ws], readOnly: held.readOnly, hiddenFolders: [], hiddenFiles: [], cwd: ws };
          const r = spawnSync(BWRAP!, bwrapArguments({ ...plan, network: false, shell: '/bin/bash', command }), {
            encoding: 'utf8',
          });
          assert.notEqual(r.status, 0, command);
          output = `${r.stdout}${r.stderr}`;
        } finally {
          held.release();
        }
        assert.match(readOnlyNote(output) ?? '', /held read-only/, `${command}: ${output}`);
      }
    });
  },
);
