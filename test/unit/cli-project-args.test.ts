// `macs project …` argument parsing: its own --version (a project version, not macs's), help per
// subcommand, and options that do not belong to a subcommand named as such.
import { describe, expect, it } from 'vitest';
import { PROJECT_SUBCOMMANDS, parseProjectArgs } from '../../electron/cli/project-args.js';

describe('parseProjectArgs', () => {
  it('export takes --version V and -o FILE; the prompt words stay positional', () => {
    expect(parseProjectArgs(['project', 'export', 'p1', '--version', '2', '-o', 'x.zip'])).toEqual({ ok: true, sub: 'export', args: ['p1'], values: { version: '2', out: 'x.zip' } });
    expect(parseProjectArgs(['project', 'add', 'p1', 'add', 'a', '--build', 'flag'])).toMatchObject({ ok: true, sub: 'add', args: ['p1', 'add', 'a', 'flag'], values: { build: true } });
  });

  it('--help gives the whole usage, or one subcommand\'s; every subcommand is in the whole one', () => {
    const all = parseProjectArgs(['project', '--help']);
    expect(all.ok && all.help).toBeTruthy();
    for (const spec of Object.values(PROJECT_SUBCOMMANDS)) expect((all as { help: string }).help).toContain(spec.usage);
    const one = parseProjectArgs(['project', 'restore', '--help']);
    expect((one as { help: string }).help).toMatch(/^Usage: macs project restore ID VERSION\n/);
  });

  it('refuses an option the subcommand does not take, an unknown subcommand, and a bad --limit', () => {
    expect(parseProjectArgs(['project', 'show', 'p1', '--build'])).toEqual({ ok: false, message: '--build does not apply to macs project show; see: macs project show --help' });
    expect(parseProjectArgs(['project', 'build'])).toEqual({ ok: false, message: expect.stringMatching(/^There is no "macs project build"; the commands are new, list, /) });
    expect(parseProjectArgs(['project', 'list', '--limit', '0'])).toEqual({ ok: false, message: '--limit must be a whole number ≥ 1, got "0".' });
  });
});
