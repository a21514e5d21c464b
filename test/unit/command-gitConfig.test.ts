/**
 * Commands git runs from a `-c key=value` given on the line (src/agent/sandbox/gitArguments.ts,
 * `gitConfigCommands`): an alias's `!…`, a pager, an editor, an ssh command, a credential helper,
 * a diff or filter driver. They are looked through like `bash -c '…'`, so the deny list sees
 * `sudo` or a recursive delete there under `autoApprove.command`; a key that runs programs from a
 * folder the line only names (`core.hooksPath`), or a command read from the environment
 * (`--config-env`), always asks. Plain settings (`user.name`) and an alias without `!` are judged as before.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DEFAULT_APPROVAL, type ApprovalSettings } from '../../src/agent/policy';
import { gitConfigCommands } from '../../src/agent/sandbox/gitArguments';
import type { ShellParser } from '../../src/agent/sandbox/shellSyntax';
import { commandVerdict, testShellParser } from './shellGrammar';

let parser: ShellParser;
before(async () => {
  parser = await testShellParser();
});

const AUTO: ApprovalSettings = { ...DEFAULT_APPROVAL, autoApprove: { read: true, edit: false, command: true } };

/** Always asked, without "Always allow". */
const ALWAYS_ASKED: readonly string[] = [
  "git -c alias.x='!sudo id' x",
  'git -c alias.x="!rm -rf ~" x',
  "git -calias.x='!sudo id' x",
  "git -C sub -c alias.l='!f() { sudo id; }; f' l",
  "git -c core.pager='sudo tee /etc/x' log",
  "git -c core.sshCommand='sudo ssh' fetch",
  "git -c CORE.EDITOR='rm -rf /' commit",
  "git -c credential.helper='!sudo cat /root/x' push",
  "git -c diff.x.textconv='sudo cat' diff",
  "git -c filter.f.smudge='rm -rf ~' checkout .",
  "git -c sequence.editor='sudo vi' rebase -i HEAD~2",
  'git -c core.hooksPath=tools/hooks commit -m x',
  'git -c init.templateDir=t init',
  'git --config-env=alias.x=EVIL x',
  'git --config-env core.pager=EVIL log',
];

/** Auto-approved under autoApprove.command, as before. */
const AUTO_APPROVED: readonly string[] = [
  "git -c user.name='A B' commit -m x",
  'git -c color.ui=never status',
  'git -c alias.st=status st',
  'git -c core.pager=cat log',
  "git -c alias.l='!git log --oneline' l",
  'git log -c',
];

describe('git -c: the commands a config value makes git run', () => {
  it('asks, without Always allow, when the value runs a denied command or what runs cannot be shown', () => {
    for (const line of ALWAYS_ASKED) {
      const v = commandVerdict(parser, line, AUTO);
      assert.equal(v.decision, 'ask', line);
      assert.equal(v.decision === 'ask' && v.canAlwaysAllow, false, `${line}: ${v.reason}`);
    }
  });

  it('auto-approves plain settings, an alias without "!", and commands the deny list allows', () => {
    for (const line of AUTO_APPROVED) assert.equal(commandVerdict(parser, line, AUTO).decision, 'auto', line);
  });

  it('reads -c and --config-env in every spelling, only before the subcommand', () => {
    assert.deepEqual(gitConfigCommands(['-c', 'alias.x=!echo hi', 'x']).commands, ['echo hi']);
    assert.deepEqual(gitConfigCommands(['-ccore.pager=less', 'log']).commands, ['less']);
    assert.deepEqual(gitConfigCommands(['-C', '-c', 'status']).commands, []);
    assert.deepEqual(gitConfigCommands(['log', '-c', 'core.pager=less']).commands, []);
    assert.match(gitConfigCommands(['--config-env=core.editor=E', 'commit']).hidden ?? '', /from the environment/);
    assert.match(gitConfigCommands(['-c', 'core.hooksPath=h', 'commit']).hidden ?? '', /only names/);
  });
});
