/**
 * "Initialise a git repository": which command lines count as a plain `git init` whose only effect
 * on a protected path is creating `.git` (src/agent/sandbox/gitInit.ts), and how such a line is
 * judged — always asked, whatever the settings, saying what it creates (src/agent/policy.ts).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { approvalFor, DEFAULT_APPROVAL, type ApprovalSettings } from '../../src/agent/policy';
import { isPlainGitInit } from '../../src/agent/sandbox/gitInit';
import type { ShellParser } from '../../src/agent/sandbox/shellSyntax';
import type { ToolCall } from '../../src/agent/tools';
import { testShellParser } from './shellGrammar';

let parser: ShellParser;
before(async () => {
  parser = await testShellParser();
});

describe('isPlainGitInit', () => {
  it('accepts git init of the working folder, with options that only shape the new repository', () => {
    for (const line of [
      'git init',
      'git init .',
      'git init ./',
      'git init -q',
      'git init --quiet',
      'git init -b main',
      'git init --initial-branch=trunk .',
      'git init --object-format=sha256',
    ])
      assert.equal(isPlainGitInit(parser.parse(line)), true, line);
  });

  it('refuses anything else a line could do with .git writable', () => {
    for (const line of [
      'git init && echo x > .git/hooks/pre-commit',
      'git init; touch .envrc',
      'git init | cat',
      'git init > log.txt',
      'git init $(echo .)',
      'GIT_TEMPLATE_DIR=./tpl git init',
      'git -c init.templateDir=./tpl init',
      'git -C sub init',
      'git init --template=./tpl',
      'git init --separate-git-dir=../x',
      'git init --bare',
      'git init sub',
      'git init ..',
      'git init -b',
      'git init -b -q',
      'git init "$X"',
      "'git' init",
      '/usr/bin/git init',
      'env git init',
      'git status',
      'git',
      'if true; then git init; fi',
      '',
    ])
      assert.equal(isPlainGitInit(parser.parse(line)), false, line);
  });
});

describe('a command that creates .git', () => {
  const call: ToolCall = { id: 'c', name: 'run_command', args: { command: 'git init' } };
  const facts = (creates: readonly string[] | undefined, sandboxed = true) => ({
    sandboxed,
    command: { line: parser.parse('git init'), parse: (t: string) => parser.parse(t) },
    ...(creates ? { creates } : {}),
  });
  const AUTO: ApprovalSettings = {
    ...DEFAULT_APPROVAL,
    autoApprove: { read: true, edit: true, command: true },
    allowedCommands: ['git init'],
  };

  it('always asks, with every setting that would approve it, and says it may create .git', () => {
    for (const always of [new Set<string>(), new Set(['run_command'])]) {
      const v = approvalFor(call, AUTO, always, facts(['/w/.git']));
      assert.equal(v.decision, 'ask');
      assert.equal(v.decision === 'ask' && v.canAlwaysAllow, false);
      assert.match(
        v.reason,
        /^Always asked: it creates \.git, a protected path that may run commands.*this command alone may create it/,
      );
    }
  });

  it('is judged like any command where .git exists (nothing to create: it stays read-only)', () => {
    assert.equal(approvalFor(call, AUTO, new Set(), facts(undefined)).decision, 'auto');
  });
});
