// The @-mention menu over the composer: type "@" and part of a file name, pick a file of the
// project (arrows + Enter/Tab, or a click), and it is pinned to the context (always sent).
import { useMemo, useState, type KeyboardEvent } from 'react';
import { activeMention, applyMention, mentionSuggestions, type Mention } from '../lib/mention.js';
import { pinContextFile } from '../store/context.js';
import { useWs } from '../store/workspace-state.js';
import { KindIcon } from './WsIcons.js';

export interface MentionState {
  mention: Mention | null;
  options: string[];
  active: number;
  /** Handles the menu's keys; true when it took the key. */
  onKeyDown: (e: KeyboardEvent<HTMLTextAreaElement>) => boolean;
  /** After each edit or caret move. */
  update: (text: string, caret: number) => void;
  pick: (path: string) => void;
  close: () => void;
}

export function useMention(draft: string, setDraft: (text: string, caret: number) => void): MentionState {
  const tree = useWs((s) => s.tree);
  const treeVersion = useWs((s) => s.treeVersion);
  const [mention, setMention] = useState<Mention | null>(null);
  const [active, setActive] = useState(0);
  const files = useMemo(() => {
    const out: string[] = [];
    if (tree) for (const e of tree.byPath.values()) if (e.kind === 'file' && !e.ignored) out.push(e.path);
    return out;
  }, [tree, treeVersion]); // treeVersion: the tree is updated in place as the folder changes.
  const options = useMemo(() => (mention ? mentionSuggestions(files, mention.query) : []), [files, mention]);

  const close = () => setMention(null);
  const pick = (path: string) => {
    if (!mention) return;
    const next = applyMention(draft, mention, path);
    pinContextFile(path);
    setMention(null);
    setDraft(next.text, next.caret);
  };
  const update = (text: string, caret: number) => {
    const m = activeMention(text, caret);
    setMention((prev) => (m && prev && prev.start === m.start && prev.query === m.query ? prev : m));
    if (!m || m.query !== mention?.query) setActive(0);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!mention || options.length === 0) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (a + step + options.length) % options.length);
      return true;
    }
    if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
      e.preventDefault();
      pick(options[Math.min(active, options.length - 1)]);
      return true;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
      return true;
    }
    return false;
  };
  return { mention, options, active, onKeyDown, update, pick, close };
}

export function MentionMenu({ state }: { state: MentionState }) {
  if (!state.mention || state.options.length === 0) return null;
  return (
    <ul className="mention-menu" role="listbox" aria-label="Add a file to the context" data-testid="mention-menu" id="composer-mention-menu">
      {state.options.map((path, i) => {
        const name = path.slice(path.lastIndexOf('/') + 1);
        return (
          <li
            key={path}
            id={`mention-${i}`}
            role="option"
            aria-selected={i === state.active}
            className={`mention-option${i === state.active ? ' active' : ''}`}
            data-testid="mention-option"
            data-path={path}
            // mousedown, not click: the textarea keeps focus (and its caret).
            onMouseDown={(e) => {
              e.preventDefault();
              state.pick(path);
            }}
          >
            <KindIcon name={name} />
            <span className="mention-name">{name}</span>
            <span className="mention-dir">{path.slice(0, path.length - name.length)}</span>
          </li>
        );
      })}
    </ul>
  );
}
