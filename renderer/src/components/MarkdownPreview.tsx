// The editor's markdown preview (a README, docs): the app's Markdown renderer over the file.
// A link to another project file opens it in the editor; an external link goes through the
// app's confirm (ModelLink); a link that leaves the project does nothing but say so.
import { useCallback, useMemo, useState } from 'react';
import { isMarkdownPath, resolveProjectLink } from '../lib/project-links.js';
import { openDoc } from '../store/workspace-docs.js';
import { revealInTree } from '../store/workspace.js';
import { wsStore } from '../store/workspace-state.js';
import { Markdown, type LinkRenderer } from './Markdown.js';
import { ModelLink } from './ModelLink.js';

/** Preview on/off per markdown file (off: the editor), for as long as the pane lives. */
export function useMarkdownPreview(path: string | null): { available: boolean; on: boolean; toggle: () => void } {
  const [shown, setShown] = useState<Record<string, boolean>>({});
  const available = path !== null && isMarkdownPath(path);
  const on = available && shown[path] === true;
  const toggle = useCallback(() => {
    if (path) setShown((s) => ({ ...s, [path]: !s[path] }));
  }, [path]);
  return { available, on, toggle };
}

export function MarkdownPreviewToggle({ on, toggle }: { on: boolean; toggle: () => void }) {
  return (
    <button type="button" className={`btn btn-small${on ? ' pressed' : ''}`} aria-pressed={on} data-testid="md-preview-toggle" title={on ? 'Back to the editor' : 'Show the rendered markdown'} onClick={toggle}>
      {on ? 'Edit' : 'Preview'}
    </button>
  );
}

function projectLinkRenderer(from: string): LinkRenderer {
  return function ProjectLink({ href, children }) {
    const target = resolveProjectLink(from, href);
    if (target.kind === 'external') return <ModelLink href={href}>{children}</ModelLink>;
    if (target.kind !== 'file') {
      return (
        <span className="md-link md-link-dead" title={target.kind === 'anchor' ? href : `${href} is outside the project`}>
          {children}
        </span>
      );
    }
    const open = () => {
      if (isProjectFile(target.path)) {
        revealInTree(target.path);
        openDoc(target.path);
      }
    };
    return (
      <a
        className="md-link md-project-link"
        role="link"
        tabIndex={0}
        title={`Open ${target.path}`}
        data-testid="md-project-link"
        data-path={target.path}
        onClick={(e) => {
          e.preventDefault();
          open();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            open();
          }
        }}
      >
        {children}
      </a>
    );
  };
}

// The tree knows which files exist; a link to a missing file does not open an empty tab.
function isProjectFile(path: string): boolean {
  return wsStore.getState().tree?.get(path)?.kind === 'file';
}

export function MarkdownPreview({ path, text, dirty }: { path: string; text: string; dirty: boolean }) {
  const link = useMemo(() => projectLinkRenderer(path), [path]);
  return (
    <div className="md-preview" data-testid="md-preview" data-path={path}>
      {dirty && <div className="md-preview-note">Showing the saved file: save to see your edits here.</div>}
      <Markdown text={text} streaming={false} link={link} />
    </div>
  );
}
