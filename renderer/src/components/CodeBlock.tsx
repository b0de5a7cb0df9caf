// Code in the chat: a highlighted block that scrolls sideways instead of cutting lines,
// with its language and a Copy button; and the file card for a "File: path" block, shown
// collapsed (the full text is in the editor) with Open, Diff and Copy.
import { memo, useMemo, useState } from 'react';
import { highlightHtml, highlightLanguage, languageOfPath } from '../lib/code-highlight.js';
import { lineCount, type Fence } from '../lib/markdown-blocks.js';
import { changesStore, openTaskDiff } from '../store/changes.js';
import { selectFile } from '../store/tasks.js';
import { useAnswerTurn, type AnswerTurn } from './answer-context.js';
import { CopyButton } from './CopyButton.js';
import { FileIcon } from './FileIcon.js';

const TAIL_LINES = 24;
const LARGE_BLOCK_CHARS = 24_000;

/** Start index of the last `n` lines of `text` (scans from the end: O(n), not O(text)). */
export function tailStart(text: string, n: number): number {
  let i = text.length;
  for (let k = 0; k <= n && i > 0; k++) i = text.lastIndexOf('\n', i - 1);
  return i <= 0 ? 0 : i + 1;
}

// Memoised on the string: while a fence streams, its complete lines change only when a newline
// arrives, so they are highlighted once per line, not once per token.
const HighlightedLines = memo(function HighlightedLines({ code, lang }: { code: string; lang: string | null }) {
  const html = useMemo(() => highlightHtml(code, lang), [code, lang]);
  return <span dangerouslySetInnerHTML={{ __html: html }} />;
});

/**
 * A fenced code block. While it streams only its last lines are laid out and highlighted
 * (the whole growing text 60 times a second is what makes streaming janky); a very large
 * finished block stays folded until asked for.
 */
export function CodeBlock({ fence, streaming, langHint, inCard = false }: { fence: Fence; streaming: boolean; langHint?: string | null; inCard?: boolean }) {
  const lang = highlightLanguage(fence.lang) ?? langHint ?? null;
  const large = !streaming && fence.body.length > LARGE_BLOCK_CHARS;
  const [open, setOpen] = useState(!large);
  const from = streaming ? tailStart(fence.body, TAIL_LINES) : 0;
  const shown = from > 0 ? fence.body.slice(from) : fence.body;
  // Streaming: the line being written stays plain until its newline arrives.
  const cut = streaming ? shown.lastIndexOf('\n') + 1 : shown.length;
  return (
    <div className={`code-block${streaming ? ' streaming' : ''}`} data-testid="code-block" data-lang={fence.lang || undefined}>
      {/* In a file card the card names the language and has the Copy. */}
      {(!inCard || large) && (
        <div className="code-head">
          <span className="code-lang">{inCard ? '' : fence.lang || 'text'}</span>
          {large && (
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
              {open ? 'Hide' : `Show ${lineCount(fence.body).toLocaleString('en-US')} lines`}
            </button>
          )}
          {!inCard && <CopyButton text={fence.body} testId="code-copy" label="Copy" />}
        </div>
      )}
      {open && (
        // tabIndex: a block wider than the chat scrolls with the keyboard too.
        <pre className="code-scroll" tabIndex={0} data-testid="code-scroll">
          {from > 0 && <span className="code-elided">… earlier lines show when the block is complete</span>}
          <code className={`hljs${lang ? ` language-${lang}` : ''}`}>
            <HighlightedLines code={shown.slice(0, cut)} lang={lang} />
            {shown.slice(cut)}
          </code>
        </pre>
      )}
    </div>
  );
}

type CardState = 'writing' | 'written' | 'cut-off' | 'refused' | 'pending';

/** What a file card says about its file (exported for tests). Only an unclosed fence is "cut off". */
export function fileCardState(turn: AnswerTurn | null, path: string, fence: Fence | null, streaming: boolean): CardState {
  if (streaming) return 'writing';
  const refused = turn?.view.attempts.some((a) => a.notices.some((n) => n.kind === 'refused' && n.path === path)) ?? false;
  if (refused && !turn?.view.files[path]) return 'refused';
  if (fence && !fence.closed) return 'cut-off';
  if (turn && !turn.view.files[path]) return 'pending';
  return 'written';
}

const STATE_TEXT: Record<CardState, string | null> = {
  writing: 'writing…',
  written: null,
  'cut-off': 'cut off',
  refused: 'refused',
  pending: null,
};

function showDiff(turn: AnswerTurn, path: string): void {
  const task = turn.task;
  if (!task?.workspacePath) return;
  const cs = changesStore.getState();
  const change = cs.taskId === task.id ? cs.list.find((c) => c.path === path) : undefined;
  openTaskDiff(task.id, task.workspacePath, change ?? { path, status: 'modified', before: null, after: null, accepted: false });
}

export function FileCard({ path, fence, streaming }: { path: string; fence: Fence | null; streaming: boolean }) {
  const turn = useAnswerTurn();
  const [open, setOpen] = useState(false);
  const state = fileCardState(turn, path, fence, streaming);
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dir = path.slice(0, path.length - name.length);
  const lang = languageOfPath(path);
  const lines = fence ? lineCount(fence.body) : 0;
  const inTurn = turn ? Boolean(turn.view.files[path]) : true;
  const canDiff = Boolean(turn?.task?.workspacePath) && inTurn && state !== 'writing';
  const flag = STATE_TEXT[state];
  return (
    <div className={`file-card file-card-${state}`} data-testid="file-card" data-path={path} data-state={state}>
      <div className="file-card-head">
        <FileIcon name={path} />
        <span className="file-card-path" title={path}>
          {dir && <span className="file-card-dir">{dir}</span>}
          <span className="file-card-name">{name}</span>
        </span>
        {fence && (
          <span className="file-card-meta" data-testid="file-card-meta">
            {lines.toLocaleString('en-US')} line{lines === 1 ? '' : 's'}
            {(fence.lang || lang) && ` · ${fence.lang || lang}`}
          </span>
        )}
        {flag && (
          <span className={`file-card-flag flag-${state}`} title={state === 'cut-off' ? 'The answer ended before this file’s closing fence' : undefined}>
            {flag}
          </span>
        )}
        <span className="file-card-actions">
          <button type="button" className="btn btn-ghost btn-small" data-testid="file-card-open" disabled={!inTurn || state === 'refused'} title="Open it in the editor" onClick={() => selectFile(path)}>
            Open
          </button>
          {turn && (
            <button type="button" className="btn btn-ghost btn-small" data-testid="file-card-diff" disabled={!canDiff} title="The change this turn made to the file" onClick={() => showDiff(turn, path)}>
              Diff
            </button>
          )}
          {fence && (
            <button type="button" className="btn btn-ghost btn-small" aria-expanded={open} data-testid="file-card-toggle" onClick={() => setOpen((o) => !o)}>
              {open ? 'Hide' : 'Show'}
            </button>
          )}
          {fence && <CopyButton text={fence.body} testId="code-copy" />}
        </span>
      </div>
      {open && fence && <CodeBlock fence={fence} streaming={streaming} langHint={lang} inCard />}
    </div>
  );
}
