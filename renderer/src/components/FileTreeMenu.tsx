// The file tree's context menu (right click, Shift+F10 or the menu key on a row): a menu
// of the actions on that entry, arrow keys to move, Enter to run, Escape to close.
import { useEffect, useRef } from 'react';
import {
  canReveal,
  closeMenu,
  copyEntryPath,
  deleteEntry,
  revealEntry,
  startNameEdit,
  useFileActions,
} from '../store/file-actions.js';

interface Item {
  id: string;
  label: string;
  hint?: string;
  run: () => void;
}

function itemsFor(path: string | null): Item[] {
  const items: Item[] = [
    { id: 'new-file', label: 'New file…', run: () => startNameEdit('new-file', path ?? '') },
    { id: 'new-folder', label: 'New folder…', run: () => startNameEdit('new-folder', path ?? '') },
  ];
  if (path === null) return items;
  items.push(
    { id: 'rename', label: 'Rename…', hint: 'F2', run: () => startNameEdit('rename', path) },
    { id: 'delete', label: 'Delete', hint: 'Del', run: () => void deleteEntry(path) },
    { id: 'copy-path', label: 'Copy path', run: () => void copyEntryPath(path, false) },
    { id: 'copy-relative-path', label: 'Copy relative path', run: () => void copyEntryPath(path, true) },
  );
  if (canReveal()) items.push({ id: 'reveal', label: 'Reveal in file manager', run: () => void revealEntry(path) });
  return items;
}

export function FileTreeMenu() {
  const menu = useFileActions((s) => s.menu);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!menu) return;
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const away = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) closeMenu();
    };
    window.addEventListener('mousedown', away, true);
    return () => window.removeEventListener('mousedown', away, true);
  }, [menu]);

  if (!menu) return null;
  const items = itemsFor(menu.path);
  const onKeyDown = (e: React.KeyboardEvent) => {
    const all = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = all.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown') all[(i + 1) % all.length]?.focus();
    else if (e.key === 'ArrowUp') all[(i - 1 + all.length) % all.length]?.focus();
    else if (e.key === 'Home') all[0]?.focus();
    else if (e.key === 'End') all.at(-1)?.focus();
    else if (e.key === 'Escape' || e.key === 'Tab') {
      closeMenu();
      document.querySelector<HTMLElement>('[data-testid="ws-tree"]')?.focus();
    } else return;
    e.preventDefault();
    e.stopPropagation();
  };
  // Kept inside the window: a menu opened near the right or bottom edge opens leftward/upward.
  const left = Math.min(menu.x, window.innerWidth - 230);
  const top = Math.min(menu.y, window.innerHeight - items.length * 28 - 12);
  return (
    <div ref={ref} className="ws-menu" role="menu" aria-label={menu.path ? `Actions on ${menu.path}` : 'Files'} style={{ left, top }} data-testid="ws-menu" onKeyDown={onKeyDown}>
      {items.map((item) => (
        <button
          key={item.id}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className="ws-menu-item"
          data-testid={`ws-menu-${item.id}`}
          onClick={() => {
            closeMenu();
            item.run();
          }}
        >
          <span>{item.label}</span>
          {item.hint && <kbd>{item.hint}</kbd>}
        </button>
      ))}
    </div>
  );
}
