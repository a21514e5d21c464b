/**
 * Spellings that hide what a command line runs from the approval rules (src/agent/policy.ts,
 * src/agent/sandbox/commandRules.ts, programs.ts): a shell's `-c` string after more options or
 * `--`, `env -S` bundled or attached, what `find -exec` runs looked through like the line itself,
 * and code-running arguments in every spelling a program accepts. Each row, under
 * `allowedCommands` (the program allowed) and under `autoApprove.command`.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DEFAULT_APPROVAL, type ApprovalSettings } from '../../src/agent/policy';
import type { ShellParser } from '../../src/agent/sandbox/shellSyntax';
import { commandVerdict, testShellParser } from './shellGrammar';

let parser: ShellParser;
before(async () => {
  parser = await testShellParser();
});

const ALLOWED: ApprovalSettings = {
  ...DEFAULT_APPROVAL,
  allowedCommands: [
    'ls',
    'git status',
    'git log',
    'git diff',
    'git fetch',
    'sed',
    'tar',
    'make',
    'rsync',
    'npm test',
    'rg',
  ],
};
const AUTO: ApprovalSettings = { ...DEFAULT_APPROVAL, autoApprove: { read: true, edit: false, command: true } };

type Expect = 'auto' | 'ask' | 'deny';
function verdict(command: string, settings: ApprovalSettings): Expect {
  const v = commandVerdict(parser, command, settings);
  return v.decision === 'auto' ? 'auto' : v.canAlwaysAllow || !v.reason.startsWith('Always asked') ? 'ask' : 'deny';
}

/** [command, under ALLOWED, under AUTO]. */
const TABLE: readonly (readonly [string, Expect, Expect])[] = [
  // A shell runs the first word after all its options as its `-c` string.
  ["bash -c -- 'rm -rf /'", 'deny', 'deny'],
  ["bash -c -x 'sudo id'", 'deny', 'deny'],
  ["sh -c -e -- 'rm -rf ~'", 'deny', 'deny'],
  ["bash -o errexit -c 'sudo id'", 'deny', 'deny'],
  ["bash -c +o posix 'sudo id'", 'deny', 'deny'],
  ["bash --rcfile x -c 'sudo id'", 'deny', 'deny'],
  ["bash -c 'ls' -- x", 'ask', 'auto'],
  ['bash script.sh -c x', 'ask', 'auto'],
  // `env -S` in every spelling GNU env takes.
  ["env -S'rm -rf /'", 'deny', 'deny'],
  ["env -iS 'rm -rf /'", 'deny', 'deny'],
  ["env -vS'sudo id'", 'deny', 'deny'],
  ["env --split-string='rm -rf /'", 'deny', 'deny'],
  ["env --split='sudo id'", 'deny', 'deny'],
  ["env --s 'sudo id'", 'deny', 'deny'],
  ["env -u S 'ls'", 'ask', 'auto'],
  ['env -uS ls', 'ask', 'auto'],
  ["env -S'ls -la'", 'ask', 'auto'],
  // What `find -exec` runs, looked through like the line's own commands.
  ["find . -exec sh -c 'rm -rf /' \\;", 'deny', 'deny'],
  ["find . -execdir bash -lc 'sudo id' {} +", 'deny', 'deny'],
  ["find . -exec env -S'sudo id' \\;", 'deny', 'deny'],
  ['find . -exec timeout 5 sudo id \\;', 'deny', 'deny'],
  ["find . -exec sh -c 'ls' \\;", 'ask', 'auto'],
  // sed's `e` and `w` commands behind any address, `s` with any delimiter, scripts in any option spelling.
  ["sed '1!e id' f", 'deny', 'deny'],
  ["sed '$!e id' f", 'deny', 'deny'],
  ["sed '1~2e id' f", 'deny', 'deny'],
  ["sed '0,/x/e id' f", 'deny', 'deny'],
  ["sed '/x/I e id' f", 'deny', 'deny'],
  ["sed '\\%x%e id' f", 'deny', 'deny'],
  ["sed '3,+2 w out' f", 'ask', 'auto'],
  ["sed 's|a|b|e' f", 'deny', 'deny'],
  ["sed 's,a,b,w /tmp/x' f", 'ask', 'auto'],
  ["sed 's|a/b|c|ge' f", 'deny', 'deny'],
  ["sed 'y/a/b/;1e id' f", 'deny', 'deny'],
  ["sed -n '/a/{p;e id\n}' f", 'deny', 'deny'],
  ["sed --exp='1e id' f", 'deny', 'deny'],
  ["sed -ne '1!e id' f", 'deny', 'deny'],
  ["sed -n -- '1e id' f", 'deny', 'deny'],
  ["sed -n '1p' e.txt", 'auto', 'auto'],
  ["sed 's|a|b|g' f w.txt", 'auto', 'auto'],
  ["sed -i.bak 's/x/y/' f", 'auto', 'auto'],
  ["sed -n '/start/,/end/p' f", 'auto', 'auto'],
  ["sed '1!G;h;$!d' f", 'auto', 'auto'],
  ["sed -e 's/a/b/' -e '/x/d' f", 'auto', 'auto'],
  ["sed '/^#/d; s/[[:space:]]*$//' f", 'auto', 'auto'],
  ["sed '$a\\\nend' f", 'auto', 'auto'],
  // Long options abbreviated, as GNU getopt, git and npm take them.
  ['tar cf - . --use-compress-prog=sh', 'ask', 'auto'],
  ['tar -x -f a.tar --to-comm=sh', 'ask', 'auto'],
  ['tar -cf a . --checkpoint-act=exec=id', 'ask', 'auto'],
  ['tar -xf a.tar --info-scr x', 'ask', 'auto'],
  ['make --ev=x:;id x', 'deny', 'deny'],
  ['make --fil=/tmp/mk', 'ask', 'auto'],
  ['sed --fi=x.sed f', 'ask', 'auto'],
  ['npm test --script-sh=/tmp/sh', 'ask', 'auto'],
  ['npm test --node-opt=--require=./x.js', 'ask', 'auto'],
  ['git fetch --upload-p=./x origin', 'ask', 'auto'],
  ['git diff --ext-d', 'ask', 'auto'],
  ['rg --pre=./x foo', 'ask', 'auto'],
  ['rg --pre-glob=*.pdf --pre ./x foo', 'ask', 'auto'],
  ['tar -cf a.tar --checkpoint=1000 .', 'auto', 'auto'],
  ['tar -xf a.tar --to-stdout', 'auto', 'auto'],
  ['git diff --stat', 'auto', 'auto'],
  ['rg --pretty foo', 'auto', 'auto'],
  // A wrapper's options as getopt reads them: bundles, attached and optional values, abbreviations.
  // bash's coproc runs its command in the background: looked through like a wrapper.
  ['coproc sudo id', 'deny', 'deny'],
  ['coproc x { rm -rf /; }', 'deny', 'deny'],
  ['coproc nice sudo id', 'deny', 'deny'],
  ['coproc ls', 'ask', 'auto'],
  ['ls | xargs -i sudo id', 'deny', 'deny'],
  ['ls | xargs -l sudo id', 'deny', 'deny'],
  ['ls | xargs --replace sudo id', 'deny', 'deny'],
  ['ls | xargs -ra f sudo id', 'deny', 'deny'],
  ['ls | xargs -0rI {} sudo id {}', 'deny', 'deny'],
  ['exec -la x sudo id', 'deny', 'deny'],
  ['timeout -vs KILL 5 sudo id', 'deny', 'deny'],
  ['timeout --sig KILL 5 sudo id', 'deny', 'deny'],
  ['ionice -tc 2 sudo id', 'deny', 'deny'],
  ['time -vo x sudo id', 'deny', 'deny'],
  ['strace -fo x sudo id', 'deny', 'deny'],
  ['stdbuf --outp L sudo id', 'deny', 'deny'],
  ['nice --adj 5 sudo id', 'deny', 'deny'],
  // Wrappers' own command strings, and more wrappers.
  ['script -qc "sudo id"', 'deny', 'deny'],
  ['script --command="sudo id"', 'deny', 'deny'],
  ['script -eq --comm "sudo id" /dev/null', 'deny', 'deny'],
  ['flock /tmp/l -c "sudo id"', 'deny', 'deny'],
  ['flock -w 5 /tmp/l --command "rm -rf ~"', 'deny', 'deny'],
  ["parallel 'sudo {}' ::: id", 'deny', 'deny'],
  ['parallel -j 2 sudo ::: id', 'deny', 'deny'],
  ["parallel ::: 'sudo id' ls", 'deny', 'deny'],
  ['ls | parallel', 'deny', 'deny'],
  ['runuser -u root id', 'deny', 'deny'],
  ['sg adm -c "id"', 'deny', 'deny'],
  ['setpriv --reuid=1000 sudo id', 'deny', 'deny'],
  ['systemd-run --user -p X=1 sudo id', 'deny', 'deny'],
  ['dbus-run-session -- sudo id', 'deny', 'deny'],
  ['xvfb-run -a -s "-screen 0" sudo id', 'deny', 'deny'],
  ['timeout -s KILL 5 ls', 'ask', 'auto'],
  ['nice -n5 ls', 'ask', 'auto'],
  ["parallel 'echo {}' ::: a b", 'ask', 'auto'],
  // A glob that can only stand for a protected name asks like the name (bash expands it to an existing one).
  ['ls > .vscod?/tasks.json', 'deny', 'deny'],
  ['ls > .vscod[e]/tasks.json', 'deny', 'deny'],
  ['ls > .VSCOD[!x]/tasks.json', 'deny', 'deny'],
  ['cp x .pnpmfile.c?s', 'deny', 'deny'],
  ['cp x .envr*', 'deny', 'deny'],
  ['cp x sub/.envr?', 'deny', 'deny'],
  ['cp x .git*/hooks/', 'deny', 'deny'],
  ['cp x .github/workfl*/x.yml', 'deny', 'deny'],
  ["ls > '.lefthook'.y?l", 'deny', 'deny'],
  ['ls *.json', 'auto', 'auto'],
  ['ls .*', 'auto', 'auto'],
  ['ls .eslintrc*', 'auto', 'auto'],
  ['ls src/act*', 'auto', 'auto'],
];

describe('command classifier: spellings that hide what runs', () => {
  for (const [command, allowed, auto] of TABLE)
    it(JSON.stringify(command), () => {
      assert.equal(verdict(command, ALLOWED), allowed, 'allowedCommands');
      assert.equal(verdict(command, AUTO), auto, 'autoApprove.command');
    });
});
