// The sidebar folded to icons (a narrow window, or the user folded it): New project, and a
// button that unfolds the project list. The width is the layout's rail width.
import { newProject } from '../store/projects.js';
import { toggleSidebar } from '../store/layout.js';

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
  return (
    <aside className="sidebar sidebar-rail" data-testid="project-sidebar" data-rail="true">
      <button type="button" className="icon-btn rail-btn" title="New project: describe it in the composer" aria-label="New project" data-testid="new-project-button" onClick={newProject}>
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
          <path fill="currentColor" d="M7.25 2h1.5v5.25H14v1.5H8.75V14h-1.5V8.75H2v-1.5h5.25z" />
        </svg>
      </button>
      <SidebarFoldButton folded />
    </aside>
  );
}
