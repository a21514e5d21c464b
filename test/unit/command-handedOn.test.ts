/**
 * Commands handed to a program as an option's value, a variable or a builtin's argument, which it
 * runs later (src/agent/sandbox/commandValues.ts): each is looked through like `bash -c '…'`, so
 * the deny list sees `sudo` and `rm -rf /` there whatever `allowedCommands` and
 * `autoApprove.command` say; the same programs with harmless values are judged as before.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DEFAULT_APPROVAL, type ApprovalSettings } from '../../src/agent/policy';
import type { ShellParser } from '../../src/agent/sandbox/shellSyntax';
import { approvalKind, testShellParser, type ApprovalKind } from './shellGrammar';

let parser: ShellParser;
before(async () => {
  parser = await testShellParser();
});

const ALLOWED: ApprovalSettings = {
  ...DEFAULT_APPROVAL,
  allowedCommands: ['tar', 'rsync', 'ssh', 'git', 'make', 'npx', 'alias', 'trap', 'less', 'zip', 'man', 'rg'],
};
const AUTO: ApprovalSettings = { ...DEFAULT_APPROVAL, autoApprove: { read: true, edit: false, command: true } };

type Expect = ApprovalKind;
const verdict = (command: string, settings: ApprovalSettings): Expect => approvalKind(parser, command, settings);

/** Lines that hand on a deny-listed command (or one approvals cannot see): always asked. */
const HANDED_ON: readonly string[] = [
  // Options whose value is a command.
  `tar -xf a.tar --to-command='sudo id'`,
  `tar -xf a.tar --to-comm='rm -rf /'`,
  `tar -cf a.tar --checkpoint=1 --checkpoint-action=exec='sudo id' .`,
  `tar -I 'sudo id' -xf a.tar`,
  `tar -xvI'sudo id' -f a.tar`,
  `tar --use-compress-program='sudo id' -xf a.tar`,
  `rsync -e 'sudo id' a h:b`,
  `rsync -ave'sudo id' a h:b`,
  `rsync --rsh='rm -rf /' a h:b`,
  `ssh -o ProxyCommand='sudo id' h`,
  `ssh -oLocalCommand='sudo id' -o PermitLocalCommand=yes h`,
  `scp -o 'ProxyCommand sudo id' a h:b`,
  `zip -T -TT 'sudo id' a.zip f`,
  `man -P 'sudo id' ls`,
  `rg --pre sudo x`,
  `npx -c 'sudo id'`,
  `npx sudo id`,
  `npm exec -- sudo id`,
  `npm exec -c 'sudo id'`,
  `pnpm dlx sudo id`,
  `bun x sudo id`,
  `timeout 5 tar -xf a.tar --to-command='sudo id'`,
  // Variables that programs run, before a command, through env, exported, declared.
  `GIT_SSH_COMMAND='sudo id' git fetch`,
  `env GIT_SSH_COMMAND='sudo id' git fetch`,
  `export GIT_SSH_COMMAND='sudo id'; git fetch`,
  `declare -x PAGER="sudo id"`,
  `PAGER='sudo id' git log`,
  `GIT_PAGER='rm -rf ~' git log`,
  `EDITOR='sudo vi' git commit`,
  `LESSOPEN='|sudo id %s' less f`,
  `LESSOPEN='||rm -rf / %s' less f`,
  `PS4='$(sudo id)' bash -x -c ls`,
  `GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.pager GIT_CONFIG_VALUE_0='sudo id' git log`,
  `GIT_SSH_COMMAND=$(cat x) git fetch`,
  `GIT_CONFIG_PARAMETERS="'core.pager'='sudo id'" git log`,
  `NODE_OPTIONS='--import=data:text/javascript,1' node app.js`,
  `env NODE_OPTIONS='--import=data:text/javascript,1' node app.js`,
  // Builtins that keep a command for later.
  `trap 'sudo id' EXIT`,
  `trap -- 'rm -rf /' INT`,
  `shopt -s expand_aliases\nalias x='sudo id'\nx`,
  `alias ls='rm -rf ~'`,
  `complete -C 'sudo id' ls`,
  `mapfile -C 'sudo id' -c 1 < f`,
  `readarray -tC 'sudo id' -c 1 < f`,
  `bind -x '"a":sudo id'`,
  `fc -e 'sudo id'`,
  `hash -p /usr/bin/sudo ls; ls`,
  // make's variables are commands its recipes run; $(shell …) in one is make's own code.
  `make CC='sudo gcc'`,
  `make all CC=sudo`,
  `make CFLAGS='$(shell id)'`,
];

/** The same programs with harmless values: [command, under ALLOWED, under AUTO]. */
const KEPT: readonly (readonly [string, Expect, Expect])[] = [
  [`tar -xvzf a.tgz`, 'auto', 'auto'],
  [`tar -xf a.tar.zst -I zstd`, 'ask', 'auto'],
  [`tar cf - . --checkpoint-action=dot`, 'ask', 'auto'],
  [`rsync -avz -e 'ssh -p 22' a h:b`, 'ask', 'auto'],
  [`ssh -o StrictHostKeyChecking=no h`, 'ask', 'auto'],
  [`npx prettier --write .`, 'ask', 'auto'],
  [`NODE_OPTIONS=--max-old-space-size=4096 npx vitest`, 'ask', 'auto'],
  [`GIT_EDITOR=true git commit`, 'ask', 'auto'],
  [`alias ll='ls -la'`, 'auto', 'auto'],
  [`trap - EXIT`, 'auto', 'auto'],
  [`make PREFIX=$HOME/.local install`, 'ask', 'auto'],
  [`make CFLAGS='-O2 -g' all`, 'ask', 'auto'],
];

describe('command classifier: commands handed on as values', () => {
  for (const command of HANDED_ON)
    it(JSON.stringify(command), () => {
      assert.equal(verdict(command, ALLOWED), 'deny', 'allowedCommands');
      assert.equal(verdict(command, AUTO), 'deny', 'autoApprove.command');
    });
  for (const [command, allowed, auto] of KEPT)
    it(`${JSON.stringify(command)} (kept)`, () => {
      assert.equal(verdict(command, ALLOWED), allowed, 'allowedCommands');
      assert.equal(verdict(command, AUTO), auto, 'autoApprove.command');
    });
});
