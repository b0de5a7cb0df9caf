// The command palette's logic: the fuzzy filter's ranking, the registry (duplicates,
// enabled commands, which command a key runs) and shortcuts on macOS and elsewhere.
import { describe, expect, it } from 'vitest';
import { CommandRegistry, filterCommands, formatShortcut, fuzzyScore, isMacPlatform, matchesShortcut, type Command, type KeyLike } from '../../renderer/src/lib/commands.js';

const cmd = (id: string, title: string, category: string, extra: Partial<Command> = {}): Command => ({ id, title, category, run: () => undefined, ...extra });

const COMMANDS: Command[] = [
  cmd('app.settings', 'Settings', 'Preferences', { shortcut: 'Mod+,', keywords: ['preferences', 'ollama'] }),
  cmd('view.terminal', 'Toggle terminal', 'View', { shortcut: 'Mod+J', keywords: ['shell'] }),
  cmd('project.openFolder', 'Open folder…', 'Project', { shortcut: 'Mod+O' }),
  cmd('project.new', 'New project', 'Project'),
  cmd('view.themeDark', 'Theme: dark', 'View', { keywords: ['color', 'appearance'] }),
  cmd('project.export', 'Export project as zip', 'Project', { keywords: ['download'] }),
];

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('fuzzy filter', () => {
  it('keeps only commands whose letters appear in order, case-insensitive', () => {
    expect(fuzzyScore('tgl', 'Toggle terminal')).not.toBeNull();
    expect(fuzzyScore('lgt', 'Toggle terminal')).toBeNull();
    expect(fuzzyScore('OPEN', 'Open folder…')).not.toBeNull();
  });

  it('ranks word starts and consecutive letters first', () => {
    expect(filterCommands(COMMANDS, 'tt')[0].id).toBe('view.terminal'); // T-oggle T-erminal, not se-tt-ings
    expect(filterCommands(COMMANDS, 'open')[0].id).toBe('project.openFolder');
    expect(filterCommands(COMMANDS, 'new pro')[0].id).toBe('project.new');
    expect(filterCommands(COMMANDS, 'term').map((c) => c.id)).toEqual(['view.terminal']);
  });

  it('finds a command by its keywords, below title matches', () => {
    expect(filterCommands(COMMANDS, 'shell').map((c) => c.id)).toEqual(['view.terminal']);
    expect(filterCommands(COMMANDS, 'download').map((c) => c.id)).toEqual(['project.export']);
    expect(filterCommands(COMMANDS, 'ollama').map((c) => c.id)).toEqual(['app.settings']);
  });

  it('matches the category too ("view dark"), and lists everything in order for an empty query', () => {
    expect(filterCommands(COMMANDS, 'view dark')[0].id).toBe('view.themeDark');
    expect(filterCommands(COMMANDS, '  ').map((c) => c.id)).toEqual(COMMANDS.map((c) => c.id));
    expect(filterCommands(COMMANDS, 'zzzz')).toEqual([]);
  });
});

describe('command registry', () => {
  it('refuses the same id twice', () => {
    const r = new CommandRegistry();
    r.register(COMMANDS[0]);
    expect(() => r.register(cmd('app.settings', 'Other', 'X'))).toThrow(/registered twice/);
  });

  it('offers only enabled commands and finds the one a key runs', () => {
    let hasProject = false;
    const r = new CommandRegistry();
    r.register(...COMMANDS, cmd('project.close', 'Close project', 'Project', { shortcut: 'Mod+W', enabled: () => hasProject }), cmd('files.rename', 'Rename', 'Files', { shortcut: 'F2', shownOnly: true }));
    expect(r.available().map((c) => c.id)).not.toContain('project.close');
    expect(r.forKey(key('w', { ctrlKey: true }), false)).toBeUndefined();
    hasProject = true;
    expect(r.forKey(key('w', { ctrlKey: true }), false)?.id).toBe('project.close');
    expect(r.forKey(key('j', { ctrlKey: true }), false)?.id).toBe('view.terminal');
    expect(r.forKey(key('j', { metaKey: true }), true)?.id).toBe('view.terminal');
    // Shown only: another part of the app handles F2.
    expect(r.forKey(key('F2'), false)).toBeUndefined();
  });
});

describe('shortcuts', () => {
  it('Mod is Ctrl off macOS and ⌘ on macOS, never both', () => {
    expect(matchesShortcut(key('k', { ctrlKey: true }), 'Mod+K', false)).toBe(true);
    expect(matchesShortcut(key('k', { metaKey: true }), 'Mod+K', false)).toBe(false);
    expect(matchesShortcut(key('k', { metaKey: true }), 'Mod+K', true)).toBe(true);
    expect(matchesShortcut(key('k', { ctrlKey: true, metaKey: true }), 'Mod+K', true)).toBe(false);
    expect(matchesShortcut(key('k'), 'Mod+K', false)).toBe(false);
  });

  it('Shift must match for letters; a symbol is compared as typed', () => {
    expect(matchesShortcut(key('P', { ctrlKey: true, shiftKey: true }), 'Mod+Shift+P', false)).toBe(true);
    expect(matchesShortcut(key('p', { ctrlKey: true }), 'Mod+Shift+P', false)).toBe(false);
    expect(matchesShortcut(key('K', { ctrlKey: true, shiftKey: true }), 'Mod+K', false)).toBe(false);
    expect(matchesShortcut(key('/', { ctrlKey: true }), 'Mod+/', false)).toBe(true);
    expect(matchesShortcut(key('F2'), 'F2', false)).toBe(true);
    expect(matchesShortcut(key('F2', { altKey: true }), 'F2', false)).toBe(false);
  });

  it('shows shortcuts as each platform writes them', () => {
    expect(formatShortcut('Mod+Shift+P', false)).toBe('Ctrl+Shift+P');
    expect(formatShortcut('Mod+Shift+P', true)).toBe('⌘⇧P');
    expect(formatShortcut('Mod+,', false)).toBe('Ctrl+,');
    expect(formatShortcut('Delete', false)).toBe('Delete');
    expect(isMacPlatform('MacIntel')).toBe(true);
    expect(isMacPlatform('Linux x86_64')).toBe(false);
  });
});
