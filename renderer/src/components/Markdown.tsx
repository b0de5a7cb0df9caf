// Markdown for a streaming answer: split into top-level blocks, each memoised, so a
// new frame re-parses and re-highlights only the last (growing) block.
import { memo, useMemo } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import { splitMarkdownBlocks } from '../lib/markdown-blocks.js';
import { appStore } from '../store/app-state.js';
import { selectFile } from '../store/tasks.js';
import { FileIcon } from './FileIcon.js';

const rehypePlugins = [[rehypeHighlight, { detect: false }]] as const;

// "File: path" lines (the default prompt format) become clickable file labels.
const FILE_LINE = /^File:\s*(\S.*)$/;

function FileLabel({ path }: { path: string }) {
  const open = () => {
    const clean = path.replace(/^`|`$/g, '').replace(/^\.\//, '');
    if (appStore.getState().view?.files[clean]) selectFile(clean);
  };
  return (
    <button type="button" className="md-file-label" onClick={open} title="Open in the editor">
      <FileIcon name={path} />
      <span>{path}</span>
    </button>
  );
}

const components: Components = {
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noreferrer noopener" />,
  p: ({ node: _node, children, ...props }) => {
    if (typeof children === 'string') {
      const m = FILE_LINE.exec(children.trim());
      if (m) return <FileLabel path={m[1].trim()} />;
    }
    return <p {...props}>{children}</p>;
  },
};

const Block = memo(function Block({ text }: { text: string }) {
  return (
    <ReactMarkdown rehypePlugins={rehypePlugins as never} components={components}>
      {text}
    </ReactMarkdown>
  );
});

export function Markdown({ text, streaming }: { text: string; streaming: boolean }) {
  const blocks = useMemo(() => splitMarkdownBlocks(text), [text]);
  return (
    <div className={`markdown${streaming ? ' streaming' : ''}`}>
      {blocks.map((block, i) => (
        <Block key={i} text={block} />
      ))}
    </div>
  );
}
