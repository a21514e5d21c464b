/**
 * The composer's `/` commands: the token at the start of the message (slashAt), and the rows for
 * what was typed (built-ins by mode, skills, MCP prompts), ranked and filtered.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCompactCommand } from '../../src/agent/compactor';
import { builtinNamed, MAX_SLASH_ROWS, slashRows, type SlashSources } from '../../src/chat/slashCommands';
import { slashAt } from '../../src/webview/mentionToken';
import { INVISIBLE_CHARS } from '../../src/protocol/invisibleText';

describe('slashAt (the / command at the start of the message)', () => {
  it('finds "/" and the name typed after it, also after leading blank space', () => {
    assert.deepEqual(slashAt('/', 1), { start: 0, end: 1, query: '' });
    assert.deepEqual(slashAt('/comp', 5), { start: 0, end: 5, query: 'comp' });
    assert.deepEqual(slashAt('  /rel', 6), { start: 2, end: 6, query: 'rel' });
    assert.deepEqual(slashAt('/review more text', 4), { start: 0, end: 4, query: 'rev' });
  });
  it('is not a command elsewhere: a path, a fraction, after a space, before the caret, a second slash', () => {
    for (const [text, caret] of [
      ['see src/a.ts', 12],
      ['1/2', 3],
      ['/new chat', 9],
      ['/new', 0],
      ['//x', 3],
      ['/src/a', 6],
      ['', 0],
      ['x /new', 6],
    ] as const)
      assert.equal(slashAt(text, caret), undefined, `${text} @${caret}`);
  });
});

const sources = (over: Partial<SlashSources> = {}): SlashSources => ({
  mode: 'ask',
  skills: [{ name: 'release', description: 'How to cut a\nrelease of this project' }],
  prompts: [{ server: 'shop', name: 'review', description: 'Review the code with a focus' }],
  ...over,
});

describe('slashRows', () => {
  it('lists the built-ins, then skills, then MCP prompts; /compact only in Agent mode', () => {
    const ask = slashRows('', sources()).map((r) => r.name);
    assert.deepEqual(ask, ['new', 'model', 'explain', 'history', 'mcp', 'instructions', 'release', 'review']);
    const agent = slashRows('', sources({ mode: 'agent' }));
    assert.deepEqual(
      agent.map((r) => r.name),
      ['new', 'compact', 'model', 'explain', 'history', 'mcp', 'instructions', 'release', 'review'],
    );
    assert.deepEqual(agent[1]!.action, { kind: 'send', text: '/compact' });
    assert.match(agent[0]!.detail!, /new task/);
    assert.match(slashRows('', sources())[0]!.detail!, /new chat/);
  });
  it('describes skills and prompts on one line, with the server of a prompt', () => {
    const rows = slashRows('re', sources());
    const skill = rows.find((r) => r.name === 'release')!;
    assert.equal(skill.detail, 'Skill: How to cut a release of this project');
    assert.deepEqual(skill.action, { kind: 'skill' });
    const prompt = rows.find((r) => r.name === 'review')!;
    assert.equal(prompt.detail, 'shop (MCP prompt): Review the code with a focus');
    assert.deepEqual(prompt.action, { kind: 'prompt', server: 'shop' });
  });
  it('ranks names starting with the text, then names containing it, then descriptions; case-insensitive', () => {
    assert.deepEqual(
      slashRows('RE', sources()).map((r) => r.name),
      // history: "Past chats: REopen…"; instructions: "which aRE read…".
      ['release', 'review', 'history', 'instructions'],
    );
    assert.deepEqual(
      slashRows('cut', sources()).map((r) => r.name),
      ['release'],
    );
    assert.deepEqual(
      slashRows('pla', sources({ mode: 'agent' })).map((r) => r.name),
      ['explain'],
    );
    // One letter does not search descriptions.
    assert.deepEqual(
      slashRows('z', sources()).map((r) => r.name),
      [],
    );
  });
  it('keeps a skill named like a built-in (the built-in first, the skill as skill:new), and caps the list', () => {
    const rows = slashRows('new', sources({ skills: [{ name: 'new', description: 'scaffold' }] }));
    assert.deepEqual(
      rows.map((r) => [r.name, r.action.kind]),
      [
        ['new', 'newChat'],
        ['skill:new', 'skill'],
      ],
    );
    const many = Array.from({ length: 80 }, (_, i) => ({ name: `skill-${i}`, description: 'x' }));
    assert.equal(slashRows('', sources({ skills: many })).length, MAX_SLASH_ROWS);
  });
  it('adds a "starting…" row per MCP server starting, whatever was typed, that opens the servers list', () => {
    for (const query of ['', 'rev', 'zzz']) {
      const rows = slashRows(query, sources({ starting: ['docs', 'tracker'] }));
      assert.deepEqual(
        rows.slice(-2).map((r) => [r.name, r.action]),
        [
          ['docs', { kind: 'command', command: 'switchyard.mcpServers' }],
          ['tracker', { kind: 'command', command: 'switchyard.mcpServers' }],
        ],
        query,
      );
      assert.match(rows.at(-1)!.detail ?? '', /starting…/);
    }
    const many = Array.from({ length: 80 }, (_, i) => ({ name: `skill-${i}`, description: 'x' }));
    const capped = slashRows('', sources({ skills: many, starting: ['docs'] }));
    assert.equal(capped.length, MAX_SLASH_ROWS);
    assert.equal(capped.at(-1)!.name, 'docs', 'the starting row survives the cap');
    assert.equal(slashRows('', sources()).filter((r) => /starting/.test(r.detail ?? '')).length, 0);
  });
});

describe('a skill named like a built-in is listed as skill:<name>, never silently run as the built-in', () => {
  const clashing = ['compact', 'COMPACT', 'Compact', 'new', 'Model', 'mcp', 'instructions', 'HISTORY', 'explain'];
  for (const mode of ['ask', 'agent'] as const)
    for (const name of clashing)
      it(`${mode}: ${name}`, () => {
        const rows = slashRows('', sources({ mode, skills: [{ name, description: 'Our own way' }] }));
        const skill = rows.find((r) => r.action.kind === 'skill')!;
        assert.equal(skill.name, `skill:${name}`);
        assert.deepEqual(skill.action, { kind: 'skill', name }, 'picking it attaches the skill by its own name');
        assert.equal(skill.detail, `Skill (/${name.toLowerCase()} is the built-in): Our own way`);
        assert.equal(
          rows.filter((r) => r.name.toLowerCase() === name.toLowerCase()).length,
          mode === 'ask' && name.toLowerCase() === 'compact' ? 0 : 1,
        );
        assert.equal(isCompactCommand(`/${skill.name} `), false, 'the text the row inserts is never /compact');
        assert.equal(builtinNamed(name), name.toLowerCase());
      });
  it('typing its name still finds it, under the built-in', () => {
    const rows = slashRows('comp', sources({ mode: 'agent', skills: [{ name: 'Compact', description: 'x' }] }));
    assert.deepEqual(
      rows.map((r) => r.name),
      ['compact', 'skill:Compact'],
    );
  });
  for (const name of ['compactor', 'compact-notes', 'news', 'compact.', 'models'])
    it(`${name} is not a built-in's name and keeps its own`, () => {
      const [skill] = slashRows(name, sources({ mode: 'agent', skills: [{ name, description: 'd' }] }));
      assert.deepEqual([skill!.name, skill!.action, skill!.detail], [name, { kind: 'skill' }, 'Skill: d']);
      assert.equal(builtinNamed(name), undefined);
    });
});

describe("the / menu shows a repository's skill and a server's prompt as the user can read them", () => {
  for (const hidden of ['\u202Eexe.txt', 'a\u200Bb', '\u{E0041}\u{E0042}', 'x\u0007y'])
    it(`writes out ${JSON.stringify(hidden)} in a description`, () => {
      const rows = slashRows(
        '',
        sources({
          skills: [{ name: 'release', description: `Cut a release ${hidden}` }],
          prompts: [{ server: 'shop', name: 'review', description: `Review ${hidden}` }],
        }),
      );
      for (const row of rows.filter((r) => r.action.kind === 'skill' || r.action.kind === 'prompt')) {
        assert.deepEqual([...(row.detail ?? '').matchAll(INVISIBLE_CHARS)], [], row.detail);
        assert.match(row.detail ?? '', /⟨U\+/);
      }
    });
});
