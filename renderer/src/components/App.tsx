import { TopBar } from './TopBar.js';
import { ProjectSidebar } from './ProjectSidebar.js';
import { ChatPane } from './ChatPane.js';
import { ProjectFilePanel } from './ProjectFilePanel.js';
import { TerminalPanel } from './TerminalPanel.js';
import { StatusBar } from './StatusBar.js';
import { Banners } from './Banners.js';
import { SettingsDialog } from './SettingsDialog.js';
import { ModelsScreen } from './models/ModelsScreen.js';
import { StepInspector } from './StepInspector.js';
import { useApp } from '../store/app-state.js';
import { useWs } from '../store/workspace-state.js';
import { OpenFolderDialog } from './OpenFolderDialog.js';
import { DropOverlay } from './DropOverlay.js';
import { CommandPalette } from './CommandPalette.js';

export function App() {
  const settingsOpen = useApp((s) => s.settingsOpen);
  const modelsOpen = useApp((s) => s.modelsOpen);
  const folderDialog = useWs((s) => s.dialogOpen);
  return (
    <div className="app">
      <TopBar />
      <Banners />
      <div className="workbench ws-mode">
        <ProjectSidebar />
        <ChatPane />
        <ProjectFilePanel />
        <TerminalPanel />
      </div>
      <StatusBar />
      {modelsOpen && <ModelsScreen />}
      {settingsOpen && <SettingsDialog />}
      <StepInspector />
      {folderDialog && <OpenFolderDialog />}
      <DropOverlay />
      <CommandPalette />
    </div>
  );
}
