import { currentPaneTab, selectActiveProject, useApp, type PaneTab } from '../store/app-state.js';

/** The project view's tab as shown: Changes only in an opened folder's project, Versions only with a project. */
export function useShownPaneTab(): PaneTab {
  const tab = useApp(currentPaneTab);
  const folder = useApp((s) => selectActiveProject(s)?.kind === 'folder');
  const project = useApp((s) => s.activeProjectId !== null);
  if (tab === 'changes' && !folder) return 'chat';
  if (tab === 'versions' && !project) return 'chat';
  return tab;
}
