import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keepEnd, PlainTextStream, stripTerminalControls, TerminalTextStream } from '../../src/agent/terminalText';

/** Real outputs (captured from the programs), each with the plain text the model should get. */
const OUTPUTS: { name: string; raw: string; plain: string }[] = [
  {
    name: 'ls --color=always --hyperlink=always (OSC 8 links, SGR, é ☃ 日本語 🚀)',
    raw: '\u001b]8;;file://vm/tmp/n23x/d%c3%adr/na%c3%afve%20%e2%98%83.txt\u0007na\u00efve \u2603.txt\u001b]8;;\u0007\n\u001b]8;;file://vm/tmp/n23x/d%c3%adr/%e6%97%a5%e6%9c%ac%e8%aa%9e.md\u0007\u65e5\u672c\u8a9e.md\u001b]8;;\u0007\n\u001b[0m\u001b[01;32m\u001b]8;;file://vm/tmp/n23x/d%c3%adr/%f0%9f%9a%80%20launch.sh\u0007\ud83d\ude80 launch.sh\u001b]8;;\u0007\u001b[0m\n',
    plain: 'naïve ☃.txt\n日本語.md\n🚀 launch.sh\n',
  },
  {
    name: 'git diff --color=always',
    raw: '\u001b[1mdiff --git a/a.txt b/a.txt\u001b[m\n\u001b[1mindex c85cfa5..73e1f69 100644\u001b[m\n\u001b[1m--- a/a.txt\u001b[m\n\u001b[1m+++ b/a.txt\u001b[m\n\u001b[36m@@ -1,2 +1,2 @@\u001b[m\n\u001b[31m-na\u00efve caf\u00e9\u001b[m\n\u001b[31m-old line\u001b[m\n\u001b[32m+\u001b[m\u001b[32mna\u00efve caf\u00e9 \u2615\u001b[m\n\u001b[32m+\u001b[m\u001b[32mnew line \u2014 \u65e5\u672c\u001b[m\n',
    plain:
      'diff --git a/a.txt b/a.txt\nindex c85cfa5..73e1f69 100644\n--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n-naïve café\n-old line\n+naïve café ☕\n+new line — 日本\n',
  },
  {
    name: 'grep --color=always (SGR + erase in line)',
    raw: 'h\u00e9llo w\u001b[01;31m\u001b[K\u00f6\u001b[m\u001b[Krld\nerror: \u00fcn\u00efc\u001b[01;31m\u001b[K\u00f6\u001b[m\u001b[Kd\u00e9 \u001b[01;31m\u001b[K\u2717\u001b[m\u001b[K\r\n',
    plain: 'héllo wörld\nerror: ünïcödé ✗\r\n',
  },
  {
    name: 'a progress line redrawn with CR, cursor hiding, a window title (OSC … ST), a charset escape, 24-bit colour',
    raw: '\u001b]0;npm install \u2014 ✓\u001b\\\u001b[?25l\u001b(B[##   ] 40%\r\u001b[2K\u001b[1G[#####] 100% \u001b[38;2;255;128;0m✔ done\u001b[0m\u001b[?25h\u001b7\u001b8\n',
    plain: '[##   ] 40%[#####] 100% ✔ done\n',
  },
];

function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Feeds `chunks` through one stream; what the terminal and the model get. */
function feed(chunks: Uint8Array[]): { text: string; plain: string } {
  const stream = new TerminalTextStream();
  let text = '';
  let plain = '';
  for (const chunk of [...chunks.map((c) => stream.push(c)), stream.end()]) {
    text += chunk.text;
    plain += chunk.plain;
  }
  return { text, plain };
}

describe('terminal output read as a stream', () => {
  for (const output of OUTPUTS) {
    it(`${output.name}: the same text whichever byte the chunk boundary falls on`, () => {
      assert.equal(stripTerminalControls(output.raw), output.plain);
      const all = bytes(output.raw);
      for (let cut = 0; cut <= all.length; cut++) {
        const got = feed([all.subarray(0, cut), all.subarray(cut)]);
        assert.equal(got.plain, output.plain, `cut at byte ${cut}`);
        assert.equal(got.text, output.raw, `cut at byte ${cut}: the terminal's text`);
      }
    });

    it(`${output.name}: the same text one byte at a time and in three-byte chunks`, () => {
      const all = bytes(output.raw);
      for (const size of [1, 2, 3, 7]) {
        const chunks: Uint8Array[] = [];
        for (let i = 0; i < all.length; i += size) chunks.push(all.subarray(i, i + size));
        assert.deepEqual(feed(chunks), { text: output.raw, plain: output.plain }, `${size}-byte chunks`);
      }
    });
  }

  it('stdout and stderr are their own streams: a character cut in one is not spoiled by the other between', () => {
    const out = new TerminalTextStream();
    const err = new TerminalTextStream();
    const snow = bytes('☃'); // three bytes
    const rocket = bytes('\u001b[31m🚀\u001b[0m');
    const parts = [
      out.push(snow.subarray(0, 1)),
      err.push(rocket.subarray(0, 3)),
      out.push(snow.subarray(1)),
      err.push(rocket.subarray(3, 8)),
      err.push(rocket.subarray(8)),
      out.end(),
      err.end(),
    ];
    assert.equal(parts.map((p) => p.plain).join(''), '☃🚀');
    assert.doesNotMatch(parts.map((p) => p.text).join(''), /\ufffd/);
  });

  it('the end of the stream flushes what is left: a cut character shows as �, an unfinished escape and a last lone CR go', () => {
    assert.deepEqual(feed([bytes('ok ☃').subarray(0, 5)]), { text: 'ok \ufffd', plain: 'ok \ufffd' });
    assert.equal(feed([bytes('done\u001b[3')]).plain, 'done');
    assert.equal(feed([bytes('title \u001b]0;still open')]).plain, 'title ');
    assert.equal(feed([bytes('50%\r')]).plain, '50%');
    assert.equal(feed([bytes('line\r'), bytes('\nnext')]).plain, 'line\r\nnext');
    const stream = new TerminalTextStream();
    stream.push(bytes('a'));
    stream.end();
    assert.deepEqual(stream.end(), { text: '', plain: '' }, 'a second end adds nothing');
  });

  it('a sequence that never ends is given up after 4096 characters, so the text after it is not held forever', () => {
    const stream = new PlainTextStream();
    const opened = stream.push(`a\u001b]0;${'x'.repeat(5000)}`);
    // `ESC ] 0 ;` and 4092 x's are the 4096 characters given up.
    assert.equal(opened, `a${'x'.repeat(5000 - 4092)}`);
    assert.equal(stream.push('b'), 'b');
  });

  it('a stray ESC before a control or a non-ASCII character goes alone; a CSI cut short keeps the character that cut it', () => {
    assert.equal(stripTerminalControls('a\u001b\nb\u001bé'), 'a\nbé');
    assert.equal(stripTerminalControls('x\u001b[31\ny'), 'x\ny');
    assert.equal(stripTerminalControls('8-bit CSI: \u009b1mbold\u009b0m'), '8-bit CSI: bold');
  });
});

describe('keepEnd: the end of kept output', () => {
  it('never starts on the second half of a character, at any length', () => {
    const text = 'ok 🚀 done 日本 🚀🚀 end';
    for (let max = 0; max <= text.length + 1; max++) {
      const kept = keepEnd(text, max);
      assert.ok(text.endsWith(kept), `${max}`);
      assert.ok(kept.length >= Math.min(text.length, max) - 1 && kept.length <= max, `${max}: ${kept.length}`);
      assert.ok(!/^[\udc00-\udfff]/.test(kept), `${max}: ${JSON.stringify(kept)}`);
    }
  });
});
