// The process side's pure parts (issue 14): where the run folder is bound in the bwrap
// argument list, the sandbox command that starts the bridge beside the app, and the
// output tail.
import { describe, expect, it } from 'vitest';
import { bwrapArgs, type BwrapPlan } from '../../electron/core/sandbox/index.js';
import { appShellCommand } from '../../electron/core/preview/process/app-process.js';
import { OutputTail } from '../../electron/core/preview/process/output-tail.js';

const plan: BwrapPlan = {
  command: ['sh', '-c', 'true'],
  workspace: '/work/ws',
  level: 'workspace-write',
  privateDirs: ['/tmp', '/run', '/home/u'],
  readOnlyDirs: ['/home/u/.nvm'],
  extraBinds: [
    { path: '/tmp/macs-run-abc/box', writable: true },
    { path: '/home/u/.cache/pip', writable: false },
  ],
  gitReadOnly: [],
  hiddenInWorkspace: [],
  socketMasks: [],
  env: { PATH: '/usr/bin' },
  tty: false,
  features: { unshareUser: true, disableUserns: true },
};

describe('the run folder inside the sandbox', () => {
  it('is bound after the private tmpfs folders it punches through (writable), a cache read-only', () => {
    const args = bwrapArgs(plan);
    const at = (flag: string, p: string) => args.findIndex((a, i) => a === flag && args[i + 1] === p && args[i + 2] === p);
    const tmpfsTmp = args.findIndex((a, i) => a === '--tmpfs' && args[i + 1] === '/tmp');
    const tmpfsHome = args.findIndex((a, i) => a === '--tmpfs' && args[i + 1] === '/home/u');
    expect(at('--bind', '/tmp/macs-run-abc/box')).toBeGreaterThan(tmpfsTmp);
    expect(at('--ro-bind', '/home/u/.cache/pip')).toBeGreaterThan(tmpfsHome);
    // …and before the workspace, which stays the last writable bind.
    expect(at('--bind', '/tmp/macs-run-abc/box')).toBeLessThan(at('--bind', '/work/ws'));
  });

  it('is not bound at all unless asked', () => {
    expect(bwrapArgs({ ...plan, extraBinds: undefined }).join(' ')).not.toContain('macs-run');
  });
});

describe('appShellCommand', () => {
  it('starts the bridge in the background and execs the app, passing everything as arguments (nothing spliced into the script)', () => {
    const command = `echo "it's $PORT"; rm -rf /nope`;
    const argv = appShellCommand('/usr/bin/node', '/tmp/r/box/bridge.mjs', '/tmp/r/box/app.sock', command);
    expect(argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(argv[2]).toBe('ELECTRON_RUN_AS_NODE=1 "$1" "$2" "$3" </dev/null & exec sh -c "$4"');
    expect(argv.slice(3)).toEqual(['macs-app', '/usr/bin/node', '/tmp/r/box/bridge.mjs', '/tmp/r/box/app.sock', command]);
  });
});

describe('OutputTail', () => {
  it('keeps the last 50 lines, joins split lines, drops colours, and keeps the last draw of a progress line', () => {
    const tail = new OutputTail(50);
    for (let i = 1; i <= 70; i++) tail.push(`line ${i}\n`);
    tail.push('par');
    tail.push('tial\r\n\x1b[31mred\x1b[0m\n');
    tail.push('10%\r50%\r100%\n');
    const lines = tail.text().split('\n');
    expect(lines).toHaveLength(50);
    expect(lines.slice(-3)).toEqual(['partial', 'red', '100%']);
    expect(lines[0]).toBe('line 24');
  });
});
