import { TopBar } from './TopBar.js';
import { TaskSidebar } from './TaskSidebar.js';
import { ChatPane } from './ChatPane.js';
import { FilePanel } from './FilePanel.js';
import { TerminalPanel } from './TerminalPanel.js';
import { StatusBar } from './StatusBar.js';
import { Banners } from './Banners.js';
import { Toasts } from './Toasts.js';
import { SettingsDialog } from './SettingsDialog.js';
import { ModelsScreen } from './models/ModelsScreen.js';
import { StepInspector } from './StepInspector.js';
import { useApp } from '../store/app-state.js';

export function App() {
  const settingsOpen = useApp((s) => s.settingsOpen);
  const modelsOpen = useApp((s) => s.modelsOpen);
  return (
    <div className="app">
      <TopBar />
      <Banners />
      <div className="workbench">
        <TaskSidebar />
        <ChatPane />
        <FilePanel />
        <TerminalPanel />
      </div>
      <StatusBar />
      <Toasts />
      {modelsOpen && <ModelsScreen />}
      {settingsOpen && <SettingsDialog />}
      <StepInspector />
    </div>
  );
}
