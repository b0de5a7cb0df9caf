// The sidebar folded to icons (a narrow window, or the user folded it): New project, and a
// button that unfolds the project list. The width is the layout's rail width.
import { newProject, selectProject } from '../store/projects.js';
import { toggleSidebar } from '../store/layout.js';
import { useApp } from '../store/app-state.js';

/** The rail lists the first projects (pinned, then recent) as initials; the rest is one click away (unfold). */
const RAIL_PROJECTS = 12;

export function initialsOf(name: string): string {
  const words = name.replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ').filter(Boolean);
  if (words.length === 0) return '?';
  return (words.length === 1 ? words[0].slice(0, 2) : words[0][0] + words[1][0]).toUpperCase();
}

export function SidebarFoldButton({ folded }: { folded: boolean }) {
  const label = folded ? 'Show the project list' : 'Fold the project list to icons';
  return (
    <button type="button" className="icon-btn sidebar-fold" title={label} aria-label={label} aria-expanded={!folded} data-testid="sidebar-fold" onClick={toggleSidebar}>
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
        <rect x="2" y="3" width="12" height="10" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
        <path d="M6 3v10" stroke="currentColor" strokeWidth="1.3" />
        <path d={folded ? 'M8.8 6.5 10.3 8l-1.5 1.5' : 'M10.3 6.5 8.8 8l1.5 1.5'} fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
      </svg>
    </button>
  );
}

export function SidebarRail() {
  const projects = useApp((s) => s.projects);
  const activeId = useApp((s) => s.activeProjectId);
  return (
    <aside className="sidebar sidebar-rail" data-testid="project-sidebar" data-rail="true">
      <button type="button" className="icon-btn rail-btn" title="New project: describe it in the composer" aria-label="New project" data-testid="new-project-button" onClick={newProject}>
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
          <path fill="currentColor" d="M7.25 2h1.5v5.25H14v1.5H8.75V14h-1.5V8.75H2v-1.5h5.25z" />
        </svg>
      </button>
      <SidebarFoldButton folded />
      <div className="rail-projects" role="listbox" aria-label="Projects">
        {projects.slice(0, RAIL_PROJECTS).map((p) => (
          <button
            key={p.id}
            type="button"
            role="option"
            aria-selected={p.id === activeId}
            className={`rail-project${p.id === activeId ? ' active' : ''}`}
            title={p.name}
            data-testid="rail-project"
            onClick={() => void selectProject(p.id)}
          >
            {initialsOf(p.name)}
          </button>
        ))}
      </div>
    </aside>
  );
}
