import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  eolOf,
  locateTarget,
  planLineEdit,
  replacementText,
  spanText,
  staleReason,
  wholeLines,
  type ApplyTarget,
} from '../../src/context/applyRange';

const doc = ['class A {', '  add(a, b) {', '    return a - b;', '  }', '}', ''].join('\n');

describe('wholeLines', () => {
  it('covers the lines of a selection', () => {
    assert.deepEqual(wholeLines({ line: 1, character: 2 }, { line: 3, character: 1 }), { startLine: 1, endLine: 3 });
  });
  it('leaves out the last line when the selection ends at its column 0 (Shift+Down, triple click)', () => {
    assert.deepEqual(wholeLines({ line: 1, character: 0 }, { line: 4, character: 0 }), { startLine: 1, endLine: 3 });
  });
  it('keeps a one-line selection that is empty at column 0', () => {
    assert.deepEqual(wholeLines({ line: 2, character: 0 }, { line: 2, character: 0 }), { startLine: 2, endLine: 2 });
  });
});

describe('planLineEdit (what Apply replaces)', () => {
  it('replaces exactly the targeted lines and leaves the rest byte for byte', () => {
    const { edit, proposed } = planLineEdit(doc, { startLine: 2, endLine: 2 }, '    return a + b;\n');
    assert.deepEqual(edit.span, { startLine: 2, endLine: 2 });
    assert.equal(edit.endCharacter, '    return a - b;'.length);
    assert.equal(edit.text, '    return a + b;', 'the fence’s final newline is not added');
    assert.equal(proposed, doc.replace('a - b', 'a + b'));
  });
  it('puts back the indentation a model dropped', () => {
    const { proposed } = planLineEdit(doc, { startLine: 1, endLine: 3 }, 'add(a, b) {\n  return a + b;\n}');
    assert.equal(proposed, ['class A {', '  add(a, b) {', '    return a + b;', '  }', '}', ''].join('\n'));
  });
  it('keeps indentation the model wrote itself', () => {
    assert.equal(replacementText('  x();\n    y();', ['  a();'], '\n'), '  x();\n    y();');
  });
  it('keeps CRLF line endings of the file', () => {
    const crlf = doc.replace(/\n/g, '\r\n');
    assert.equal(eolOf(crlf), '\r\n');
    const { edit, proposed } = planLineEdit(
      crlf,
      { startLine: 1, endLine: 3 },
      '  add(a, b) {\n    return a + b;\n  }\n',
    );
    assert.equal(edit.text, '  add(a, b) {\r\n    return a + b;\r\n  }');
    assert.equal(proposed, crlf.replace('a - b', 'a + b'));
  });
  it('can replace the whole document, and grow or shrink the range', () => {
    const { proposed } = planLineEdit('one\ntwo\nthree', { startLine: 0, endLine: 2 }, '1\n2');
    assert.equal(proposed, '1\n2');
    const grown = planLineEdit('a\nb\nc', { startLine: 1, endLine: 1 }, 'b1\nb2\nb3');
    assert.equal(grown.proposed, 'a\nb1\nb2\nb3\nc');
  });
  it('refuses a range outside the document', () => {
    assert.throws(() => planLineEdit('a\nb', { startLine: 1, endLine: 5 }, 'x'), /outside the document/);
  });
  it('spanText reads the lines back', () => {
    assert.equal(spanText(doc, { startLine: 1, endLine: 3 }), '  add(a, b) {\n    return a - b;\n  }');
  });
});

describe('staleReason', () => {
  const target: ApplyTarget = {
    uri: 'file:///w/a.ts',
    label: 'src/a.ts:3',
    startLine: 2,
    endLine: 2,
    version: 4,
    contentHash: 'h1',
  };
  it('accepts an unchanged document, even when an edit and its undo bumped the version', () => {
    assert.equal(staleReason(target, { version: 4, contentHash: 'h1', lineCount: 6 }), undefined);
    assert.equal(staleReason(target, { version: 6, contentHash: 'h1', lineCount: 6 }), undefined);
  });
  it('reports any change of the text, naming the file and what to do', () => {
    const reason = staleReason(target, { version: 5, contentHash: 'h2', lineCount: 6 });
    assert.match(reason ?? '', /src\/a\.ts has changed since the answer was requested.*not applied/);
    assert.doesNotMatch(reason ?? '', /version|→/, 'no internal version numbers');
  });
});

describe('locateTarget: Apply after unrelated edits', () => {
  const text = ['a', 'b', 'target 1', 'target 2', 'c'].join('\n');
  const target: ApplyTarget = {
    uri: 'file:///w/a.ts',
    label: 'src/a.ts:3-4',
    startLine: 2,
    endLine: 3,
    version: 1,
    contentHash: 'h1',
    linesText: 'target 1\ntarget 2',
  };
  it('unchanged document: the same lines', () => {
    assert.deepEqual(locateTarget(target, text, 'h1'), { ok: true, span: target, moved: false });
  });
  it('an edit elsewhere (below, or within the same line count): still the same lines', () => {
    assert.deepEqual(locateTarget(target, `${text}\nd\ne`, 'h2'), {
      ok: true,
      span: { startLine: 2, endLine: 3 },
      moved: false,
    });
    assert.deepEqual(locateTarget(target, text.replace('a', 'A'), 'h2'), {
      ok: true,
      span: { startLine: 2, endLine: 3 },
      moved: false,
    });
  });
  it('lines added or removed above: follows them to where they are now (CRLF too)', () => {
    assert.deepEqual(locateTarget(target, `x\ny\n${text}`.replace(/\n/g, '\r\n'), 'h2'), {
      ok: true,
      span: { startLine: 4, endLine: 5 },
      moved: true,
    });
    assert.deepEqual(locateTarget(target, text.replace('a\n', ''), 'h2'), {
      ok: true,
      span: { startLine: 1, endLine: 2 },
      moved: true,
    });
  });
  it('the target lines themselves changed, or now appear twice: refused in words, without version numbers', () => {
    const changed = locateTarget(target, text.replace('target 2', 'edited'), 'h2');
    assert.ok(
      !changed.ok && /lines of src\/a\.ts:3-4 were changed/.test(changed.reason) && !/version/.test(changed.reason),
    );
    const twice = locateTarget(target, `target 1\ntarget 2\n${text.replace('a\n', '')}`, 'h2');
    assert.ok(!twice.ok && /appear 2 times/.test(twice.reason));
    const old = locateTarget({ ...target, linesText: undefined }, text, 'h2');
    assert.ok(!old.ok && /src\/a\.ts has changed/.test(old.reason));
  });
});
