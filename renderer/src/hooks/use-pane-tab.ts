import { currentPaneTab, useApp, type PaneTab } from '../store/app-state.js';
import { useIsFolderTask } from './use-folder-task.js';

/** The task view's tab as shown: Changes only for a task in an opened folder. */
export function useShownPaneTab(): PaneTab {
  const tab = useApp(currentPaneTab);
  const folder = useIsFolderTask(useApp((s) => s.activeTask));
  return tab === 'changes' && !folder ? 'chat' : tab;
}
