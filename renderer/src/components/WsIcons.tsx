// Icons for the workspace tree: a glyph per file kind (CSS, workspace.css) and folders.
import { memo } from 'react';
import { ICON_GLYPH, iconKind } from '../lib/file-kind.js';

export const KindIcon = memo(function KindIcon({ name }: { name: string }) {
  const kind = iconKind(name);
  return (
    <span className={`ficon ficon-${kind}`} aria-hidden="true" data-kind={kind}>
      {ICON_GLYPH[kind]}
    </span>
  );
});

export function FolderIcon({ open }: { open: boolean }) {
  return (
    <svg className="folder-icon" viewBox="0 0 16 16" width="15" height="15" aria-hidden="true">
      {open ? (
        <path d="M1.5 3.5h4.2l1.5 1.5h6.3v1.5H4.2L2 12.5H1.5zM4.2 6.5h11l-2.3 6H2z" fill="currentColor" opacity="0.9" />
      ) : (
        <path d="M1.5 3h4.5l1.5 1.5h7v8.5h-13z" fill="currentColor" opacity="0.9" />
      )}
    </svg>
  );
}

export function FolderGlyph({ size = 14 }: { size?: number }) {
  return (
    <svg viewBox="0 0 16 16" width={size} height={size} aria-hidden="true">
      <path d="M1.5 3h4.5l1.5 1.5h7v8.5h-13z" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinejoin="round" />
    </svg>
  );
}
