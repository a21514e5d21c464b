/**
 * What test/e2e/contained-agent.test.ts sets up: the hostile repository (its files, and the links
 * it ships to a folder outside the workspace), the scripted model it steers, and how a task is
 * started and what its requests carried back to the model.
 */
import { lstatSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import type { AgentScript } from '../../fake-openrouter/agent';
import { toolResultTexts } from '../../fake-openrouter/answer';
import type { SwitchyardSession } from './session';

export const KEY = 'sk-or-v1-e2e-contained-0123456789abcdef0123';
export const MODEL = 'anthropic/claude-sonnet-4';
/** A key in the repository's .env: the model must never see it. */
export const DOTENV_KEY = 'sk-or-v1-dotenvdotenv0123456789abcdefabcdef';
/** A token in the repository's remote URL (.git/config): the model must never see it. */
export const REMOTE_TOKEN = 'ghp_e2eRemoteToken0123456789abcdefABCDEF';

const call = (name: string, args: unknown) => ({ name, arguments: JSON.stringify(args) });

/** The model, steered by what the repository holds: each task (by its text) and its steps. */
export const SCRIPT: AgentScript = {
  turns: [
    { when: { userIncludes: 'check the env', step: 0 }, toolCalls: [call('read_file', { path: '.env' })] },
    {
      when: { userIncludes: 'check the env', toolResultIncludes: 'The user declined' },
      text: 'I did not read .env, as you chose.',
    },
    { when: { userIncludes: 'check the env' }, text: 'I read .env.' },
    {
      when: { userIncludes: 'check the local files', step: 0 },
      toolCalls: [call('read_file', { path: 'config/settings.local.json' })],
    },
    {
      when: { userIncludes: 'check the local files', step: 1 },
      toolCalls: [call('read_file', { path: 'scratch.txt' })],
    },
    {
      when: { userIncludes: 'check the local files', step: 2 },
      toolCalls: [call('read_file', { path: '.git/config' })],
    },
    { when: { userIncludes: 'check the local files' }, text: 'Local files checked.' },
    {
      when: { userIncludes: 'write the files', step: 0 },
      toolCalls: [
        call('write_file', { path: 'linked/planted.txt', content: 'PLANTED-THROUGH-FOLDER-LINK\n' }),
        call('write_file', { path: 'notes.txt', content: 'PLANTED-THROUGH-DANGLING-LINK\n' }),
        call('edit_file', {
          path: 'shipped.txt',
          edits: [{ old_text: 'ORIGINAL', new_text: 'CHANGED-THROUGH-FILE-LINK' }],
        }),
      ],
    },
    { when: { userIncludes: 'write the files' }, text: 'The writes were refused.' },
    {
      when: { userIncludes: 'rename the marker', step: 0 },
      toolCalls: [call('edit_file', { path: 'src/app.ts', edits: [{ old_text: 'NEEDLE', new_text: 'HAYSTACK' }] })],
    },
    { when: { userIncludes: 'rename the marker' }, text: 'Renamed.' },
    {
      when: { userIncludes: 'search the code', step: 0 },
      toolCalls: [call('search_text', { query: '(?<=OUTSIDE-)NEEDLE|NEEDLE', is_regex: true })],
    },
    {
      when: { userIncludes: 'search the code', step: 1 },
      toolCalls: [call('search_text', { query: '(?<=x)y|(a+)+$', is_regex: true })],
    },
    { when: { userIncludes: 'search the code' }, text: 'Searched.' },
    {
      when: { userIncludes: 'edit both files', step: 0 },
      toolCalls: [call('edit_file', { path: 'src/one.ts', edits: [{ old_text: '"ONE"', new_text: '"ONE-EDITED"' }] })],
    },
    {
      when: { userIncludes: 'edit both files', step: 1 },
      toolCalls: [call('edit_file', { path: 'src/two.ts', edits: [{ old_text: '"TWO"', new_text: '"TWO-EDITED"' }] })],
    },
    { when: { userIncludes: 'edit both files' }, text: 'Both edited.' },
    {
      when: { userIncludes: 'a link please' },
      text: 'Read [docs.python.org](https://evil.example/py) first, then https://example.com/done.',
    },
  ],
};

/** The repository's files: a .env with keys, Git's ignore files and its settings with a token in the remote URL. */
export const HOSTILE_FILES: Record<string, string> = {
  'package.json': '{\n  "name": "hostile"\n}\n',
  'src/app.ts': 'export const marker = "NEEDLE";\n',
  'src/one.ts': 'export const one = "ONE";\n',
  'src/two.ts': 'export const two = "TWO";\n',
  'src/long.txt': `${'a'.repeat(40)}!\n`,
  '.env': `OPENROUTER_API_KEY=${DOTENV_KEY}\nDB_PASSWORD=s3cr3tP4ss\nPORT=3000\n`,
  // Git's ignore files: a nested .gitignore and .git/info/exclude, and the repository's own settings.
  'config/.gitignore': 'settings.local.json\n',
  'config/settings.local.json': '{ "endpoint": "http://localhost:8080" }\n',
  '.git/info/exclude': 'scratch.txt\n',
  'scratch.txt': 'SCRATCH-NOTES kept out of the repository\n',
  '.git/config': `[core]\n\tbare = false\n[remote "origin"]\n\turl = https://${REMOTE_TOKEN}@github.com/o/r.git\n`,
};

/** A folder outside the workspace with what the shipped links lead to (the caller removes it). */
export function outsideFolder(): string {
  const outside = mkdtempSync(path.join(tmpdir(), 'sy-outside-'));
  mkdirSync(path.join(outside, 'folder'));
  writeFileSync(path.join(outside, 'shipped-target.txt'), 'ORIGINAL\n');
  writeFileSync(path.join(outside, 'secret.txt'), 'OUTSIDE-NEEDLE: a secret outside the workspace\n');
  return outside;
}

/** The links a hostile repository ships: a folder link, a file link and a dangling link out, and a link to an outside secret. */
export function shipLinks(workspace: string, outside: string): void {
  const links: [string, string][] = [
    [path.join(outside, 'folder'), 'linked'],
    [path.join(outside, 'shipped-target.txt'), 'shipped.txt'],
    [path.join(outside, 'planted-by-dangling.txt'), 'notes.txt'],
    [path.join(outside, 'secret.txt'), 'docs/outside.txt'],
  ];
  mkdirSync(path.join(workspace, 'docs'), { recursive: true });
  for (const [target, rel] of links)
    if (!isLink(path.join(workspace, rel))) symlinkSync(target, path.join(workspace, rel));
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Starts the task `text` in a new chat, the model scripted, and waits until the fake received it. */
export async function startScriptedTask(s: SwitchyardSession, frame: Frame, text: string): Promise<void> {
  s.fake!.setAgentScript(SCRIPT);
  await frame.locator('#new-chat').click();
  const input = frame.locator('#input');
  await input.fill(text);
  await input.press('Enter');
  // Started when the fake received the task (a fast task can finish, and scroll its first
  // message away, before a look at the view would find it).
  const deadline = Date.now() + 60_000;
  try {
    while (!(s.fake?.chatRequests() ?? []).some((r) => JSON.stringify(r.body).includes(text))) {
      if (Date.now() > deadline) throw new Error(`the task "${text}" never reached the model`);
      await frame.page().waitForTimeout(100);
    }
  } catch (error) {
    await s.screenshot(`contained-agent-not-started-${text.replace(/\W+/g, '-')}`);
    throw error;
  }
}

/** The tool results of a task as its last request carried them (each request repeats the earlier ones). */
export function toolResults(s: SwitchyardSession, task: string): string[] {
  const last = (s.fake?.chatRequests() ?? []).filter((r) => JSON.stringify(r.body).includes(task)).at(-1);
  return toolResultTexts(last?.body);
}
