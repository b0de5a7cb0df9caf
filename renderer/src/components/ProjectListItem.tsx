// One project in the sidebar: name, state, language, turns, last activity; pin, rename and
// delete on hover; Locate…/Forget when an opened folder is missing. Light on purpose: the
// list paints 1,000 of these (only the visible ones are in the DOM).
import { memo, useState, type KeyboardEvent } from 'react';
import type { Project } from '../../../shared/index.js';
import { formatRelativeTime } from '../lib/format.js';
import { renameProject, selectProject, setPinned } from '../store/projects.js';
import { ProjectStateBadge } from './ProjectStateBadge.js';
import { AppRunningMark } from './AppRunningMark.js';

export type ProjectDialog = { kind: 'delete' | 'locate'; project: Project };

interface Props {
  project: Project;
  active: boolean;
  now: number;
  top: number;
  onDialog: (d: ProjectDialog) => void;
}

function RenameField({ project, done }: { project: Project; done: () => void }) {
  const [name, setName] = useState(project.name);
  const commit = () => {
    const next = name.trim();
    done();
    if (next && next !== project.name) void renameProject(project.id, next);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') commit();
    else if (e.key === 'Escape') done();
  };
  return (
    <input
      className="project-rename"
      data-testid="project-rename-input"
      value={name}
      autoFocus
      maxLength={200}
      aria-label="Project name"
      onChange={(e) => setName(e.target.value)}
      onKeyDown={onKey}
      onBlur={commit}
      onClick={(e) => e.stopPropagation()}
    />
  );
}

export const ProjectListItem = memo(function ProjectListItem({ project: p, active, now, top, onDialog }: Props) {
  const [renaming, setRenaming] = useState(false);
  const turns = `${p.turnCount} turn${p.turnCount === 1 ? '' : 's'}`;
  return (
    <div
      className={`project-item${active ? ' active' : ''}${p.folderMissing ? ' missing' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      role="option"
      aria-selected={active}
      tabIndex={0}
      data-testid="project-list-item"
      data-project-id={p.id}
      data-state={p.state}
      data-kind={p.kind}
      title={p.root}
      onClick={() => void selectProject(p.id)}
      onKeyDown={(e) => {
        if (e.target !== e.currentTarget) return; // the rename field, a tool button
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          void selectProject(p.id);
        } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          const rows = [...(e.currentTarget.parentElement?.querySelectorAll<HTMLElement>('[data-testid="project-list-item"]') ?? [])].sort((a, b) => a.offsetTop - b.offsetTop || a.getBoundingClientRect().top - b.getBoundingClientRect().top);
          const i = rows.indexOf(e.currentTarget);
          rows[i + (e.key === 'ArrowDown' ? 1 : -1)]?.focus();
        } else if (e.key === 'F2') {
          setRenaming(true);
        }
      }}
    >
      <span className="project-item-line">
        {p.pinned && (
          <span className="project-pin-mark" aria-label="pinned" title="Pinned">
            <PinGlyph />
          </span>
        )}
        {renaming ? <RenameField project={p} done={() => setRenaming(false)} /> : <span className="project-item-name">{p.name}</span>}
        <span className="project-item-tools" onClick={(e) => e.stopPropagation()}>
          <button type="button" className="icon-btn" title={p.pinned ? 'Unpin' : 'Pin to the top'} aria-label={p.pinned ? 'Unpin' : 'Pin'} data-testid="project-pin" onClick={() => void setPinned(p.id, !p.pinned)}>
            <PinGlyph />
          </button>
          <button type="button" className="icon-btn" title="Rename" aria-label="Rename" data-testid="project-rename" onClick={() => setRenaming(true)}>
            <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
              <path d="M2 14h3l8-8-3-3-8 8zM9 4l3 3" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
            </svg>
          </button>
          <button type="button" className="icon-btn" title={p.kind === 'folder' ? 'Forget (the folder stays)' : 'Delete'} aria-label="Delete" data-testid="project-delete" onClick={() => onDialog({ kind: 'delete', project: p })}>
            <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
              <path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 9h5.8l.6-9" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" />
            </svg>
          </button>
        </span>
      </span>
      <span className="project-item-meta">
        <ProjectStateBadge project={p} />
        <AppRunningMark projectId={p.id} />
        {p.folderMissing ? (
          <span className="project-missing-actions" onClick={(e) => e.stopPropagation()}>
            <button type="button" className="linkish" data-testid="project-locate" onClick={() => onDialog({ kind: 'locate', project: p })}>
              Locate…
            </button>
            <button type="button" className="linkish" data-testid="project-forget" onClick={() => onDialog({ kind: 'delete', project: p })}>
              Forget
            </button>
          </span>
        ) : (
          <>
            {p.language && <span className="project-item-lang">{p.language}</span>}
            <span className="project-item-turns" data-testid="project-turns">
              {turns}
            </span>
          </>
        )}
        <span className="project-item-time" title={new Date(p.updatedAt).toLocaleString()}>
          {formatRelativeTime(p.updatedAt, now)}
        </span>
      </span>
    </div>
  );
});

function PinGlyph() {
  return (
    <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <path d="M6 2h4l-.5 4 2.5 2v1.5H4V8l2.5-2zM8 9.5V14" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" />
    </svg>
  );
}
