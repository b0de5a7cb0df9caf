// Every action of the app as a command: the command palette (Ctrl/Cmd+K, Ctrl/Cmd+Shift+P)
// lists them with their shortcuts, the global key handler runs them, the shortcuts list
// (Ctrl/Cmd+/) shows them by category. Actions live in their stores; this only names them.
import { CommandRegistry, isMacPlatform, type Command } from '../lib/commands.js';
import { appStore, type PaneTab } from './app-state.js';
import { appRunStore, runApp, stopApp } from './app-run.js';
import { openModelsScreen } from './catalog.js';
import { setComposerKind } from './composer.js';
import { createStore, useStoreSelector } from './create-store.js';
import { exportProject } from './exporting.js';
import { canReveal, copyEntryPath, deleteEntry, revealEntry, startNameEdit } from './file-actions.js';
import { toggleSidebar, toggleTree } from './layout.js';
import { newProject } from './projects.js';
import { cancelTask } from './task-actions.js';
import { newChat } from './tasks.js';
import { openShell, setPanelOpen, terminalStore } from './terminal.js';
import { setThemePref } from './theme.js';
import { undoLastTurn } from './versions.js';
import { openFolderDialog } from './workspace.js';
import { wsStore } from './workspace-state.js';

export type PaletteMode = 'commands' | 'shortcuts';

export const paletteStore = createStore<{ open: PaletteMode | null }>({ open: null });

export function usePalette<T>(selector: (s: { open: PaletteMode | null }) => T): T {
  return useStoreSelector(paletteStore, selector);
}

export const openPalette = (mode: PaletteMode = 'commands'): void => paletteStore.setState({ open: mode });
export const closePalette = (): void => paletteStore.setState({ open: null });

export const isMac = (): boolean => isMacPlatform(typeof navigator === 'undefined' ? undefined : navigator.platform);

const project = () => appStore.getState().activeProjectId;
const runState = () => {
  const id = project();
  return id ? (appRunStore.getState().runs[id]?.state ?? 'idle') : null;
};
const runningTask = () => {
  const t = appStore.getState().activeTask;
  return t && (t.status === 'running' || t.status === 'queued') ? t : null;
};
const treeEntry = () => (wsStore.getState().info ? wsStore.getState().focusedPath : null);

function showTab(tab: PaneTab): void {
  // As PaneTabs does: a build remembers its own tab.
  if (appStore.getState().activeTask?.kind === 'build') appStore.setState({ buildPaneTab: tab, paneTab: tab === 'steps' ? appStore.getState().paneTab : tab });
  else appStore.setState({ paneTab: tab });
}

function focusComposer(): void {
  document.querySelector<HTMLTextAreaElement>('[data-testid="prompt-input"]')?.focus();
}

function appCommands(): Command[] {
  const hasProject = () => project() !== null;
  const hasTask = () => appStore.getState().activeTaskId !== null;
  return [
    { id: 'palette.open', title: 'Show all commands', category: 'Help', shortcut: 'Mod+K', keywords: ['command palette'], run: () => openPalette('commands') },
    { id: 'palette.openAlt', title: 'Show all commands', category: 'Help', shortcut: 'Mod+Shift+P', keywords: ['command palette'], run: () => openPalette('commands') },
    { id: 'help.shortcuts', title: 'Keyboard shortcuts', category: 'Help', shortcut: 'Mod+/', keywords: ['keys', 'hotkeys', 'keybindings'], run: () => openPalette('shortcuts') },

    { id: 'project.new', title: 'New project', category: 'Project', keywords: ['create', 'start'], run: newProject },
    { id: 'project.openFolder', title: 'Open folder…', category: 'Project', shortcut: 'Mod+O', keywords: ['workspace', 'directory'], run: () => openFolderDialog() },
    { id: 'project.export', title: 'Export project as zip', category: 'Project', keywords: ['download', 'zip', 'save'], enabled: hasProject, run: () => void exportProject(project()!) },
    {
      id: 'project.undoLastTurn',
      title: 'Undo last turn',
      category: 'Project',
      keywords: ['revert', 'restore', 'version'],
      enabled: hasProject,
      run: () => {
        if (window.confirm('Undo the last turn? The files go back to the version before it (kept as a new version, so this can be undone too).')) void undoLastTurn();
      },
    },
    { id: 'project.versions', title: 'Restore a version…', category: 'Project', keywords: ['history', 'versions', 'rollback'], enabled: hasProject, run: () => showTab('versions') },

    { id: 'app.run', title: 'Run the app', category: 'App', keywords: ['start', 'preview', 'serve'], enabled: () => runState() !== null && !['starting', 'ready', 'installing'].includes(runState()!), run: () => void runApp(project()!) },
    { id: 'app.stop', title: 'Stop the app', category: 'App', keywords: ['kill', 'preview'], enabled: () => ['starting', 'ready', 'installing'].includes(runState() ?? ''), run: () => void stopApp(project()!) },

    { id: 'chat.new', title: 'New chat', category: 'Chat', keywords: ['conversation'], run: newChat },
    { id: 'chat.focus', title: 'Focus the prompt', category: 'Chat', keywords: ['composer', 'type', 'ask'], shortcut: 'Mod+L', run: focusComposer },
    { id: 'chat.modeChat', title: 'Mode: Chat (answer and edit files)', category: 'Chat', keywords: ['ask'], run: () => setComposerKind('chat') },
    { id: 'chat.modeBuild', title: 'Mode: Build (plan, code, test)', category: 'Chat', keywords: ['pipeline'], run: () => setComposerKind('build') },
    { id: 'task.stop', title: 'Stop the running turn', category: 'Chat', keywords: ['cancel', 'abort'], enabled: () => runningTask() !== null, run: () => void cancelTask(runningTask()!.id) },

    { id: 'view.chat', title: 'Show Chat', category: 'View', keywords: ['tab'], run: () => showTab('chat') },
    { id: 'view.steps', title: 'Show Steps', category: 'View', keywords: ['tab', 'build'], enabled: () => appStore.getState().activeTask?.kind === 'build', run: () => showTab('steps') },
    { id: 'view.changes', title: 'Show Changes', category: 'View', keywords: ['tab', 'diff', 'review'], enabled: hasTask, run: () => showTab('changes') },
    { id: 'view.versions', title: 'Show Versions', category: 'View', keywords: ['tab', 'history'], enabled: hasProject, run: () => showTab('versions') },
    { id: 'view.timeline', title: 'Show Timeline', category: 'View', keywords: ['tab', 'events'], enabled: hasTask, run: () => showTab('timeline') },
    { id: 'view.terminal', title: 'Toggle terminal', category: 'View', shortcut: 'Mod+J', keywords: ['shell', 'console', 'panel'], run: () => setPanelOpen(!terminalStore.getState().panelOpen) },
    { id: 'view.newTerminal', title: 'New terminal', category: 'View', keywords: ['shell'], enabled: hasTask, run: () => void openShell() },
    { id: 'view.sidebar', title: 'Toggle projects sidebar', category: 'View', shortcut: 'Mod+B', keywords: ['projects', 'panel'], run: toggleSidebar },
    // TreeRail handles the key itself.
    { id: 'view.tree', title: 'Toggle file tree', category: 'View', shortcut: 'Mod+Shift+E', shownOnly: true, keywords: ['files', 'explorer', 'panel'], run: toggleTree },
    { id: 'view.themeLight', title: 'Theme: light', category: 'View', keywords: ['color', 'appearance'], run: () => setThemePref('light') },
    { id: 'view.themeDark', title: 'Theme: dark', category: 'View', keywords: ['color', 'appearance'], run: () => setThemePref('dark') },
    { id: 'view.themeSystem', title: 'Theme: follow the system', category: 'View', keywords: ['color', 'appearance', 'auto'], run: () => setThemePref('system') },

    { id: 'files.newFile', title: 'New file…', category: 'Files', keywords: ['create'], enabled: () => wsStore.getState().info !== null, run: () => startNameEdit('new-file', treeEntry() ?? '') },
    { id: 'files.newFolder', title: 'New folder…', category: 'Files', keywords: ['create', 'directory'], enabled: () => wsStore.getState().info !== null, run: () => startNameEdit('new-folder', treeEntry() ?? '') },
    { id: 'files.rename', title: 'Rename the selected file', category: 'Files', shortcut: 'F2', shownOnly: true, enabled: () => treeEntry() !== null, run: () => startNameEdit('rename', treeEntry()!) },
    { id: 'files.delete', title: 'Delete the selected file (to the trash)', category: 'Files', shortcut: 'Delete', shownOnly: true, enabled: () => treeEntry() !== null, run: () => void deleteEntry(treeEntry()!) },
    { id: 'files.copyPath', title: 'Copy path of the selected file', category: 'Files', enabled: () => treeEntry() !== null, run: () => void copyEntryPath(treeEntry()!, false) },
    { id: 'files.copyRelativePath', title: 'Copy relative path of the selected file', category: 'Files', enabled: () => treeEntry() !== null, run: () => void copyEntryPath(treeEntry()!, true) },
    { id: 'files.reveal', title: 'Reveal the selected file in the file manager', category: 'Files', enabled: () => treeEntry() !== null && canReveal(), run: () => void revealEntry(treeEntry()!) },
    { id: 'files.save', title: 'Save the file', category: 'Files', shortcut: 'Mod+S', shownOnly: true, run: () => undefined, enabled: () => false },

    { id: 'app.settings', title: 'Settings', category: 'Preferences', shortcut: 'Mod+,', keywords: ['preferences', 'options', 'ollama', 'host'], run: () => appStore.setState({ settingsOpen: true }) },
    { id: 'app.models', title: 'Models', category: 'Preferences', keywords: ['pull', 'download', 'ollama', 'llm'], run: openModelsScreen },
  ];
}

export const commands = new CommandRegistry();
commands.register(...appCommands());

export interface ShortcutRow {
  id: string;
  category: string;
  title: string;
  shortcuts: string[];
}

/** Every command with a shortcut, for the shortcuts list: one row per action, all its keys (Ctrl+K and Ctrl+Shift+P). */
export function shortcutRows(): ShortcutRow[] {
  const rows = new Map<string, ShortcutRow>();
  for (const c of commands.all()) {
    if (!c.shortcut) continue;
    const key = `${c.category}:${c.title}`;
    const row = rows.get(key);
    if (row) row.shortcuts.push(c.shortcut);
    else rows.set(key, { id: c.id, category: c.category, title: c.title, shortcuts: [c.shortcut] });
  }
  return [...rows.values()];
}
