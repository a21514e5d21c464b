import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { releaseClaim, SHARED_ENV, sharedRun, tryClaim } from '../e2e/harness/lanes';

describe('e2e lanes: one test file per code-server at a time', () => {
  const lockDir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-lanes-'));
  after(() => rmSync(lockDir, { recursive: true, force: true }));

  it('a lane is claimed once; the holder may claim it again; released, it is free', () => {
    assert.equal(tryClaim(lockDir, 0), true);
    assert.equal(tryClaim(lockDir, 0), true, 'the holder itself');
    releaseClaim(lockDir, 0);
    assert.equal(tryClaim(lockDir, 0), true);
    releaseClaim(lockDir, 0);
  });

  it('a lane held by a live process is refused; one held by a process that is gone is taken over', () => {
    mkdirSync(path.join(lockDir, 'lane-1'));
    writeFileSync(path.join(lockDir, 'lane-1', 'pid'), String(process.ppid));
    assert.equal(tryClaim(lockDir, 1), false, 'the parent process is alive');
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    writeFileSync(path.join(lockDir, 'lane-1', 'pid'), gone.stdout.trim());
    assert.equal(tryClaim(lockDir, 1), true, 'a dead holder does not block the lane');
    releaseClaim(lockDir, 1);
  });

  it('a claim being made right now is left alone; one left half-made long ago is taken over', () => {
    const dir = path.join(lockDir, 'lane-2');
    mkdirSync(dir);
    assert.equal(tryClaim(lockDir, 2), false);
    const old = new Date(Date.now() - 60_000);
    utimesSync(dir, old, old);
    assert.equal(tryClaim(lockDir, 2), true);
    releaseClaim(lockDir, 2);
  });

  it('reads the run from the environment and refuses a malformed one with a clear message', () => {
    const before = process.env[SHARED_ENV];
    try {
      delete process.env[SHARED_ENV];
      assert.equal(sharedRun(), undefined);
      process.env[SHARED_ENV] = JSON.stringify({ lanes: [{ url: 'http://127.0.0.1:1/' }], lockDir });
      assert.equal(sharedRun()?.lanes.length, 1);
      process.env[SHARED_ENV] = JSON.stringify({ url: 'http://127.0.0.1:1/' });
      assert.throws(() => sharedRun(), /is not a run's lane list/);
    } finally {
      if (before === undefined) delete process.env[SHARED_ENV];
      else process.env[SHARED_ENV] = before;
    }
  });
});
