// The files chosen as the model's context: "context: 7 files, 5.2k tokens", expandable.
// Read-only in the task view; the composer's ContextLine adds pin and remove.
import { useState } from 'react';
import type { ContextSelection } from '../../../shared/index.js';
import { contextBudget, contextLine, formatTokens, readableReason } from '../lib/context-text.js';
import { KindIcon } from './WsIcons.js';

export function ContextFileRow({ path, tokens, reason, pinned, children }: { path: string; tokens: number; reason: string; pinned: boolean; children?: React.ReactNode }) {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  return (
    <li className={`ctx-file${pinned ? ' pinned' : ''}`} data-testid="context-file" data-path={path}>
      <KindIcon name={name} />
      <span className="ctx-path" title={path}>
        <span className="ctx-dir">{dir}</span>
        {name}
      </span>
      <span className="ctx-reason" title={reason} data-testid="context-reason">
        {readableReason(reason)}
      </span>
      <span className="ctx-tokens">{formatTokens(tokens)}</span>
      {children}
    </li>
  );
}

export function ContextSummary({ selection, initiallyOpen = false }: { selection: ContextSelection; initiallyOpen?: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <div className="ctx-summary" data-testid="task-context">
      <button type="button" className="ctx-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className={`chevron${open ? ' open' : ''}`} aria-hidden="true">›</span>
        <span className="ctx-line" data-testid="task-context-line">
          {contextLine(selection)}
        </span>
        <span className="ctx-budget">{contextBudget(selection)}</span>
      </button>
      {open && (
        <ul className="ctx-files">
          {selection.files.map((f) => (
            <ContextFileRow key={f.path} {...f} />
          ))}
        </ul>
      )}
    </div>
  );
}
