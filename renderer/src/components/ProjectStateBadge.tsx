import type { Project } from '../../../shared/index.js';
import { BUSY_STATES, STATE_LABEL } from '../lib/project-text.js';

/** NEW, PLANNING … READY, FAILED; "paused" beside it while the queue waits; "folder missing" instead when it is gone. */
export function ProjectStateBadge({ project }: { project: Pick<Project, 'state' | 'paused' | 'folderMissing'> }) {
  if (project.folderMissing) {
    return (
      <span className="badge pstate pstate-missing" data-testid="project-state" data-state="MISSING" title="The folder is gone or unreadable: Locate… it or Forget the project">
        folder missing
      </span>
    );
  }
  const busy = BUSY_STATES.has(project.state);
  return (
    <>
      <span className={`badge pstate pstate-${project.state.toLowerCase()}`} data-testid="project-state" data-state={project.state}>
        {busy && <span className="badge-pulse" aria-hidden="true" />}
        {STATE_LABEL[project.state]}
      </span>
      {project.paused && (
        <span className="badge pstate pstate-paused" data-testid="project-paused" title="Its queued turns wait until it is resumed">
          paused
        </span>
      )}
    </>
  );
}
