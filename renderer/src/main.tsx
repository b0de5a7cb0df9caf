import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './client/index.js';
import { bootApp } from './store/boot.js';
import { App } from './components/App.js';
import { startLayout } from './store/layout.js';
import { startTheme } from './store/theme.js';
import { startModalFocus } from './lib/modal-focus.js';
import 'highlight.js/styles/github-dark.css';
import '@xterm/xterm/css/xterm.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/chat.css';
import './styles/files.css';
import './styles/widgets.css';
import './styles/history.css';
import './styles/detail.css';
import './styles/picker.css';
import './styles/models.css';
import './styles/terminal.css';
import './styles/steps.css';
import './styles/inspector.css';
import './styles/build.css';
import './styles/workspace.css';
import './styles/changes.css';
import './styles/projects.css';
import './styles/run.css';
import './styles/preview.css';
import './styles/panes.css';
import './styles/workbench-actions.css';
import './styles/providers.css';
import './styles/theme-light.css';

startTheme();
startLayout();
startModalFocus();
bootApp(createClient());

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
