// The sidebar: New project, a search field, and every project (virtualised with
// @tanstack/react-virtual: only the rows in view are in the DOM, so 1,000 projects paint
// like 20). Pin, rename, delete on each row; Locate…/Forget for a missing folder.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useApp, appStore } from '../store/app-state.js';
import { newProject } from '../store/projects.js';
import { filterProjects } from '../lib/project-text.js';
import { useNow } from '../hooks/use-now.js';
import { ProjectListItem, type ProjectDialog } from './ProjectListItem.js';
import { DeleteProjectDialog } from './DeleteProjectDialog.js';
import { LocateProjectDialog } from './LocateProjectDialog.js';
import { SidebarFoldButton, SidebarRail } from './SidebarRail.js';
import { Splitter } from './Splitter.js';
import { useLayout } from '../store/layout.js';

const ROW_HEIGHT = 54;

/** A listbox only while it lists projects: an empty listbox (no options) is an ARIA error screen readers trip on. */
const listboxRole = (count: number) => (count > 0 ? { role: 'listbox', 'aria-label': 'Projects' } : {});

/** performance.measure('macs-projects-paint'): from the list's answer to the first frame with its rows. */
function usePaintMark(ready: boolean): void {
  const done = useRef(false);
  useEffect(() => {
    if (!ready || done.current) return;
    done.current = true;
    requestAnimationFrame(() => {
      if (performance.getEntriesByName('macs-projects-response', 'mark').length > 0) performance.measure('macs-projects-paint', 'macs-projects-response');
    });
  }, [ready]);
}

export function ProjectSidebar() {
  const all = useApp((s) => s.projects);
  const loaded = useApp((s) => s.projectsLoaded);
  const query = useApp((s) => s.projectQuery);
  const activeId = useApp((s) => s.activeProjectId);
  const [dialog, setDialog] = useState<ProjectDialog | null>(null);
  const now = useNow(30_000);
  const shown = useMemo(() => filterProjects(all, query), [all, query]);
  const scrollRef = useRef<HTMLDivElement>(null);
  usePaintMark(loaded && all.length > 0);
  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const rail = useLayout((s) => s.sidebarRail);

  if (rail) return <SidebarRail />;
  return (
    <aside className="sidebar" data-testid="project-sidebar">
      <div className="sidebar-head">
        <button type="button" className={`btn btn-new-chat${activeId === null ? ' active' : ''}`} data-testid="new-project-button" onClick={newProject} title="Start a new project: describe it in the composer">
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path fill="currentColor" d="M7.25 2h1.5v5.25H14v1.5H8.75V14h-1.5V8.75H2v-1.5h5.25z" />
          </svg>
          New project
        </button>
        <SidebarFoldButton folded={false} />
      </div>
      <div className="sidebar-search">
        <input
          type="search"
          className="sidebar-search-input"
          placeholder={all.length > 0 ? `Search ${all.length.toLocaleString('en-US')} project${all.length === 1 ? '' : 's'}…` : 'Search projects…'}
          aria-label="Search projects"
          data-testid="project-search"
          value={query}
          onChange={(e) => appStore.setState({ projectQuery: e.target.value })}
        />
      </div>
      <div className="project-list" ref={scrollRef} {...listboxRole(shown.length)} data-testid="project-list">
        {!loaded && <div className="task-list-empty">Loading…</div>}
        {loaded && shown.length === 0 && (
          <div className="task-list-empty" data-testid="project-list-empty">
            {all.length === 0 ? 'No projects yet. Describe one in the composer, or open a folder.' : `No project matches “${query}”.`}
          </div>
        )}
        <div className="project-list-inner" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((row) => {
            const p = shown[row.index];
            return <ProjectListItem key={p.id} project={p} active={p.id === activeId} now={now} top={row.start} onDialog={setDialog} />;
          })}
        </div>
      </div>
      {dialog?.kind === 'delete' && <DeleteProjectDialog project={dialog.project} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'locate' && <LocateProjectDialog project={dialog.project} onClose={() => setDialog(null)} />}
      <Splitter pane="sidebar" />
    </aside>
  );
}
