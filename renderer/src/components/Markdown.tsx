// Markdown for a streaming answer: split into top-level blocks, each memoised, so a
// new frame re-parses and re-highlights only the last (growing) block.
import { memo, useMemo } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import { splitMarkdownBlocks } from '../lib/markdown-blocks.js';

const rehypePlugins = [[rehypeHighlight, { detect: false }]] as const;

const components: Components = {
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noreferrer noopener" />,
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
