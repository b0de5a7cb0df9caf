// The project view's header: name (and where it lives), state badge, Pause / Resume of its
// queue, the tabs (Chat, Steps of a build turn, Changes of a folder turn, Versions, Timeline),
// and the Run control of the project's app.
import { useState } from 'react';
import type { Project } from '../../../shared/index.js';
import { pauseProject, resumeProject } from '../store/projects.js';
import { PaneTabs } from './PaneTabs.js';
import { TaskActions } from './TaskActions.js';
import { useApp } from '../store/app-state.js';
import { useShownPaneTab } from '../hooks/use-pane-tab.js';
import { ProjectStateBadge } from './ProjectStateBadge.js';
import { RunControl } from './RunControl.js';
import { ProjectModelOptionsButton } from './ProjectModelOptions.js';

function PauseButton({ project }: { project: Project }) {
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    await (project.paused ? resumeProject(project.id) : pauseProject(project.id));
    setBusy(false);
  };
  return (
    <button
      type="button"
      className="btn btn-small"
      data-testid={project.paused ? 'project-resume' : 'project-pause'}
      disabled={busy}
      onClick={() => void run()}
      title={project.paused ? 'Let its queued turns run again' : 'Queued turns wait (a running turn finishes)'}
    >
      {project.paused ? (
        <svg viewBox="0 0 16 16" width="11" height="11" aria-hidden="true">
          <path d="M4 2.5v11l9-5.5z" fill="currentColor" />
        </svg>
      ) : (
        <svg viewBox="0 0 16 16" width="11" height="11" aria-hidden="true">
          <path d="M4 2.5h3v11H4zM9 2.5h3v11H9z" fill="currentColor" />
        </svg>
      )}
      {project.paused ? 'Resume' : 'Pause'}
    </button>
  );
}

/** Off the Chat tab the turns' own buttons are not on screen: Stop / Retry of the turn followed sit in the header. */
function FollowedTurnActions() {
  const task = useApp((s) => s.activeTask);
  const tab = useShownPaneTab();
  if (!task || tab === 'chat' || tab === 'versions') return null;
  return <TaskActions task={task} />;
}

export function ProjectHeader({ project }: { project: Project | null }) {
  if (!project) return <span className="chat-title muted">Loading the project…</span>;
  return (
    <>
      <span className="chat-title project-title" title={`${project.name}\n${project.root}`} data-testid="project-title">
        {project.name}
      </span>
      {project.kind === 'folder' && (
        <span className="project-kind-tag" title={`An opened folder: ${project.root}`}>
          folder
        </span>
      )}
      <ProjectStateBadge project={project} />
      <FollowedTurnActions />
      <PauseButton project={project} />
      <ProjectModelOptionsButton project={project} />
      <span className="project-head-break" aria-hidden="true" />
      <PaneTabs />
      {!project.folderMissing && <RunControl projectId={project.id} />}
    </>
  );
}
