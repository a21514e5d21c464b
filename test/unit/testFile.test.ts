import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testFileFor } from '../../src/context/testFile';

describe('the test file Add Tests creates', () => {
  it('sits next to the source, named by the language default when the project has no tests yet', () => {
    assert.equal(testFileFor('src/math.ts'), 'src/math.test.ts');
    assert.equal(testFileFor('app.jsx'), 'app.test.jsx');
    assert.equal(testFileFor('pkg/util/strings.py'), 'pkg/util/test_strings.py');
    assert.equal(testFileFor('cmd/server.go'), 'cmd/server_test.go');
    assert.equal(testFileFor('lib/parser.rb'), 'lib/parser_spec.rb');
    assert.equal(testFileFor('src/main/java/Calc.java'), 'src/main/java/CalcTest.java');
    assert.equal(testFileFor('notes.weird'), 'notes.test.weird');
  });

  it("follows the project's own convention (the majority of its test files)", () => {
    assert.equal(testFileFor('src/math.ts', ['src/a.spec.ts', 'src/b.spec.ts', 'src/c.test.ts']), 'src/math.spec.ts');
    assert.equal(testFileFor('src/math.ts', ['test/unit/a.test.ts', 'README.md']), 'src/math.test.ts');
    assert.equal(testFileFor('pkg/strings.py', ['pkg/a_test.py', 'pkg/b_test.py']), 'pkg/strings_test.py');
    assert.equal(testFileFor('lib/parser.rb', ['test/a_test.rb']), 'lib/parser_test.rb');
    // Other languages' tests say nothing about this one.
    assert.equal(testFileFor('src/math.ts', ['x.spec.rb', 'y.spec.rb']), 'src/math.test.ts');
  });

  it('offers none for a test file itself or a name without an extension', () => {
    assert.equal(testFileFor('src/math.test.ts'), undefined);
    assert.equal(testFileFor('tests/test_strings.py'), undefined);
    assert.equal(testFileFor('Makefile'), undefined);
  });
});
