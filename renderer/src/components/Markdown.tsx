// Markdown for a streaming answer: split into top-level blocks, each memoised, so a
// new frame re-parses and re-highlights only the last (growing) block.
import { memo, useMemo, useState } from 'react';
import ReactMarkdown, { defaultUrlTransform, type Components, type UrlTransform } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import { splitMarkdownBlocks } from '../lib/markdown-blocks.js';
import { appStore, useApp } from '../store/app-state.js';
import { selectFile } from '../store/tasks.js';
import { FileIcon } from './FileIcon.js';
import { ModelLink } from './ModelLink.js';

const rehypePlugins = [[rehypeHighlight, { detect: false }]] as const;

// "File: path" lines (the default prompt format) become clickable file labels.
const FILE_LINE = /^File:\s*(\S.*)$/;

function FileLabel({ path }: { path: string }) {
  const clean = path.replace(/^`|`$/g, '').replace(/^\.\//, '');
  const state = useApp((s) => {
    if (s.view?.files[clean]) return 'file';
    return s.view?.attempts.some((a) => a.notices.some((n) => n.kind === 'refused' && n.path === clean)) ? 'refused' : 'pending';
  });
  const open = () => {
    if (appStore.getState().view?.files[clean]) selectFile(clean);
  };
  return (
    <button
      type="button"
      className={`md-file-label md-file-${state}`}
      onClick={open}
      disabled={state === 'refused'}
      title={state === 'refused' ? 'Refused: not written to the workspace' : 'Open in the editor'}
    >
      <FileIcon name={clean} />
      <span>{clean}</span>
      {state === 'refused' && <span className="md-file-flag">refused</span>}
    </button>
  );
}

const components: Components = {
  // Links from model output never navigate: they ask first (ModelLink → LinkConfirmDialog).
  a: ({ href, children }) => <ModelLink href={href ?? ''}>{children}</ModelLink>,
  p: ({ node: _node, children, ...props }) => {
    if (typeof children === 'string') {
      const m = FILE_LINE.exec(children.trim());
      if (m) return <FileLabel path={m[1].trim()} />;
    }
    return <p {...props}>{children}</p>;
  },
};

// A link's href reaches ModelLink untouched (it never becomes a DOM href), so the confirm can
// name a refused scheme ("file:") instead of showing an empty link; image sources and the rest
// keep react-markdown's safe-protocol filter.
const urlTransform: UrlTransform = (url, key, node) => (key === 'href' && node.tagName === 'a' ? url : defaultUrlTransform(url));

const Block = memo(function Block({ text }: { text: string }) {
  return (
    <ReactMarkdown rehypePlugins={rehypePlugins as never} components={components} urlTransform={urlTransform}>
      {text}
    </ReactMarkdown>
  );
});

const TAIL_LINES = 24;
const LARGE_BLOCK_CHARS = 24_000;

function fenceParts(text: string): { info: string; body: string } {
  const nl = text.indexOf('\n');
  const info = (nl < 0 ? text : text.slice(0, nl)).replace(/^ *[`~]+/, '').trim().split(/\s+/)[0] ?? '';
  return { info, body: nl < 0 ? '' : text.slice(nl + 1) };
}

/** Start index of the last `n` lines of `text` (scans from the end: O(n), not O(text)). */
function tailStart(text: string, n: number): number {
  let i = text.length;
  for (let k = 0; k <= n && i > 0; k++) i = text.lastIndexOf('\n', i - 1);
  return i <= 0 ? 0 : i + 1;
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * A code fence that is still being written: only its last lines, as plain text. Laying out
 * and highlighting a whole growing file 60 times a second is what makes streaming janky;
 * the editor shows the full file live. Once the fence closes it becomes a normal Block.
 */
function StreamingCode({ text }: { text: string }) {
  const { info, body } = fenceParts(text);
  const from = tailStart(body, TAIL_LINES);
  return (
    <pre className="streaming-code">
      {from > 0 && <span className="code-elided">… earlier lines are in the editor</span>}
      <code className={`hljs${info ? ` language-${info}` : ''}`}>{body.slice(from)}</code>
    </pre>
  );
}

/** Very large finished code blocks stay collapsed (and unhighlighted) in the chat. */
function LargeCode({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  const { info, body } = useMemo(() => fenceParts(text.replace(/\n? {0,3}(`{3,}|~{3,})\s*\n?$/, '')), [text]);
  const lines = useMemo(() => countLines(body), [body]);
  return (
    <div className="large-code">
      <button type="button" className="large-code-toggle" onClick={() => setOpen((o) => !o)}>
        {open ? '▾' : '▸'} {info || 'code'} · {lines.toLocaleString()} lines — {open ? 'hide' : 'show here (the editor has it too)'}
      </button>
      {open && (
        <pre>
          <code className="hljs">{body}</code>
        </pre>
      )}
    </div>
  );
}

function isLargeFence(block: string): boolean {
  return block.length > LARGE_BLOCK_CHARS && /^ {0,3}(`{3,}|~{3,})/.test(block);
}

export function Markdown({ text, streaming }: { text: string; streaming: boolean }) {
  const { blocks, lastIsOpenFence } = useMemo(() => splitMarkdownBlocks(text), [text]);
  const last = blocks.length - 1;
  return (
    <div className={`markdown${streaming ? ' streaming' : ''}`}>
      {blocks.map((block, i) =>
        streaming && i === last && lastIsOpenFence ? (
          <StreamingCode key={i} text={block} />
        ) : isLargeFence(block) ? (
          <LargeCode key={i} text={block} />
        ) : (
          <Block key={i} text={block} />
        ),
      )}
    </div>
  );
}
