/** The name "New file" suggests for a code block (src/context/newFileName.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findFence, safeRelativePath, suggestFileName } from '../../src/context/newFileName';

const CODE = 'export function slug(s: string): string {\n  return s.toLowerCase();\n}';

function answer(info: string, lead = 'Here it is:', code = CODE): string {
  return `${lead}\n\n\`\`\`${info}\n${code}\n\`\`\`\n\nThat is all.`;
}

describe('suggestFileName', () => {
  const infoCases: [string, string][] = [
    ['ts title="src/slug.ts"', 'src/slug.ts'],
    ["ts title='src/slug.ts'", 'src/slug.ts'],
    ['ts filename=src/slug.ts', 'src/slug.ts'],
    ['ts file=slug.ts', 'slug.ts'],
    ['typescript path=lib/text/slug.ts', 'lib/text/slug.ts'],
    ['ts:src/slug.ts', 'src/slug.ts'],
    ['ts src/slug.ts', 'src/slug.ts'],
    ['src/slug.ts', 'src/slug.ts'],
    ['ts ./src/slug.ts', 'src/slug.ts'],
  ];
  for (const [info, path] of infoCases) {
    it(`reads the fence's info string: ${info}`, () => {
      assert.deepEqual(suggestFileName({ code: CODE, language: info.split(/[\s:]/)[0]!, answer: answer(info) }), {
        path,
        source: 'info',
      });
    });
  }

  const commentCases: [string, string, string][] = [
    ['ts', '// src/slug.ts', 'src/slug.ts'],
    ['ts', '// file: src/slug.ts', 'src/slug.ts'],
    ['python', '# app/main.py', 'app/main.py'],
    ['python', '# filename: app/main.py', 'app/main.py'],
    ['html', '<!-- public/index.html -->', 'public/index.html'],
    ['css', '/* styles/site.css */', 'styles/site.css'],
    ['sql', '-- db/schema.sql', 'db/schema.sql'],
    ['ini', '; setup.cfg', 'setup.cfg'],
  ];
  for (const [language, first, path] of commentCases) {
    it(`reads a first-line comment: ${first}`, () => {
      const code = `${first}\nbody();`;
      assert.deepEqual(suggestFileName({ code, language, answer: answer(language, 'Here:', code) }), {
        path,
        source: 'comment',
      });
      assert.deepEqual(suggestFileName({ code, language }), { path, source: 'comment' }, 'without the answer too');
    });
  }

  it('does not take a comment that is a sentence, nor a shebang', () => {
    assert.equal(suggestFileName({ code: '// Converts a title to a slug.\nexport {}', language: 'ts' }), undefined);
    assert.equal(suggestFileName({ code: '#!/usr/bin/env python3\nprint(1)', language: 'python' }), undefined);
    assert.equal(suggestFileName({ code: '# Compute the total\nx = 1', language: 'python' }), undefined);
  });

  it('takes the path the answer mentions just before the block, when its extension fits', () => {
    assert.deepEqual(
      suggestFileName({ code: CODE, language: 'ts', answer: answer('ts', 'Create `src/text/slug.ts` with:') }),
      { path: 'src/text/slug.ts', source: 'answer' },
    );
    assert.deepEqual(
      suggestFileName({
        code: CODE,
        language: 'ts',
        answer: answer('ts', 'Move it from **old.ts** to **src/slug.ts**:'),
      }),
      { path: 'src/slug.ts', source: 'answer' },
      'the last one mentioned',
    );
    assert.equal(
      suggestFileName({
        code: CODE,
        language: 'ts',
        answer: answer('ts', 'Add this to `package.json` scripts, then:'),
      }),
      undefined,
      'a JSON file does not name TypeScript code',
    );
    assert.equal(
      suggestFileName({
        code: CODE,
        language: 'ts',
        answer: `See src/far.ts.\n\nMore text.\n\nHere:\n\n\`\`\`ts\n${CODE}\n\`\`\``,
      }),
      undefined,
      'only the lines right before the block',
    );
  });

  it('takes the one path of the question, when its extension fits', () => {
    assert.deepEqual(
      suggestFileName({
        code: CODE,
        language: 'ts',
        answer: answer('ts'),
        question: 'Write src/slug.ts that turns titles into slugs',
      }),
      { path: 'src/slug.ts', source: 'question' },
    );
    assert.equal(
      suggestFileName({ code: CODE, language: 'ts', answer: answer('ts'), question: 'Merge a.ts and b.ts' }),
      undefined,
      'two paths: none is the obvious one',
    );
    assert.equal(
      suggestFileName({
        code: CODE,
        language: 'ts',
        answer: answer('ts'),
        question: 'Write it like README.md says, e.g. in v1.2',
      }),
      undefined,
    );
  });

  it('prefers info over comment over answer over question', () => {
    const code = `// from-comment.ts\n${CODE}`;
    const md = answer('ts title=from-info.ts', 'Create `from-answer.ts`:', code);
    assert.equal(suggestFileName({ code, language: 'ts', answer: md, question: 'from-question.ts' })?.source, 'info');
    assert.equal(
      suggestFileName({
        code,
        language: 'ts',
        answer: answer('ts', 'Create `from-answer.ts`:', code),
        question: 'from-question.ts',
      })?.source,
      'comment',
    );
  });

  it('never suggests a path outside the workspace', () => {
    const hostile = [
      '../../etc/passwd.txt',
      '/etc/cron.d/x.sh',
      'C:\\Windows\\x.bat',
      'a/../../x.ts',
      '~/x.ts',
      'a\\b.ts',
      '.../x.ts',
      'file:///x.ts',
      `${'a/'.repeat(120)}x.ts`,
    ];
    for (const path of hostile) {
      for (const info of [`ts title="${path}"`, `ts ${path}`, `ts:${path}`]) {
        const got = suggestFileName({ code: CODE, language: 'ts', answer: answer(info) });
        assert.ok(
          got === undefined ||
            (!got.path.includes('..') &&
              !got.path.startsWith('/') &&
              !got.path.includes('\\') &&
              !got.path.includes(':')),
          `${info} → ${JSON.stringify(got)}`,
        );
      }
      const code = `// ${path}\nbody();`;
      assert.equal(suggestFileName({ code, language: 'ts' }), undefined, `comment ${path}`);
    }
    assert.equal(
      suggestFileName({ code: CODE, language: 'sh', question: 'run /etc/cron.d/x.sh please' }),
      undefined,
      'the tail of an absolute path is not a relative one',
    );
  });

  it('finds the block among several, with ~~~ fences and longer markers', () => {
    const md = [
      'First:',
      '',
      '```ts title=a.ts',
      'one();',
      '```',
      '',
      'Second:',
      '',
      '~~~~python',
      '# b.py',
      'two()',
      '~~~~',
    ].join('\n');
    assert.deepEqual(findFence(md, 'one();'), { info: 'ts title=a.ts', lead: 'First:' });
    assert.deepEqual(findFence(md, '# b.py\ntwo()'), { info: 'python', lead: 'Second:' });
    assert.equal(findFence(md, 'three()'), undefined);
  });

  it('safeRelativePath keeps plain relative paths', () => {
    assert.equal(safeRelativePath('src/a.test.ts'), 'src/a.test.ts');
    assert.equal(safeRelativePath('.github/workflows/ci.yml'), '.github/workflows/ci.yml');
    assert.equal(safeRelativePath('./src/a.ts'), 'src/a.ts');
    assert.equal(safeRelativePath('Makefile'), undefined, 'a name needs an extension');
  });
});
