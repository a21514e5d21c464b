/** Whether the real-bubblewrap unit tests can run here: a `bwrap` that works (user namespaces on), on Linux. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const BWRAP = ['/usr/bin/bwrap', '/usr/local/bin/bwrap'].find((p) => existsSync(p));

export const bwrapWorks =
  process.platform === 'linux' &&
  BWRAP !== undefined &&
  spawnSync(BWRAP, ['--unshare-all', '--ro-bind', '/', '/', '--dev', '/dev', '--', '/bin/true']).status === 0;
