// Markdown for a streaming answer: split into top-level blocks, each memoised, so a new
// frame re-parses and re-highlights only the last (growing) block. Code fences and
// "File: path" blocks are drawn by CodeBlock / FileCard, not by react-markdown, so a path
// never goes through emphasis and every block gets highlighting, side-scroll and Copy.
import { memo, useMemo } from 'react';
import ReactMarkdown, { defaultUrlTransform, type Components, type UrlTransform } from 'react-markdown';
import { answerItems, type AnswerItem } from '../lib/markdown-blocks.js';
import { CodeBlock, FileCard } from './CodeBlock.js';
import { ModelLink } from './ModelLink.js';

/** How a link in the markdown opens: model output asks first (ModelLink); the editor's preview can open project files. */
export type LinkRenderer = (props: { href: string; children?: React.ReactNode }) => React.ReactElement;

const modelLink: LinkRenderer = ({ href, children }) => <ModelLink href={href}>{children}</ModelLink>;

function componentsFor(link: LinkRenderer): Components {
  return {
    // Links never navigate: they ask first (ModelLink → LinkConfirmDialog), or open a project file.
    a: ({ href, children }) => link({ href: href ?? '', children }),
    // A fence inside a list or a quote (top-level ones are CodeBlocks): scrolls, with its own Copy.
    pre: ({ children }) => <pre className="code-scroll">{children}</pre>,
    // Images are not fetched (the app stays offline, and a model's image URL could track):
    // they show as a link with their description, which asks before opening.
    img: ({ src, alt }) => link({ href: typeof src === 'string' ? src : '', children: <span className="md-img">[image: {alt || 'no description'}]</span> }),
  };
}
const modelComponents = componentsFor(modelLink);

// A link's href reaches the link renderer untouched (it never becomes a DOM href), so the confirm
// can name a refused scheme ("file:") instead of showing an empty link; image sources and the
// rest keep react-markdown's safe-protocol filter.
const urlTransform: UrlTransform = (url, key, node) => (key === 'href' && node.tagName === 'a' ? url : defaultUrlTransform(url));

const Block = memo(function Block({ text, components }: { text: string; components: Components }) {
  return (
    <ReactMarkdown components={components} urlTransform={urlTransform}>
      {text}
    </ReactMarkdown>
  );
});

function Item({ item, components }: { item: AnswerItem; components: Components }) {
  if (item.kind === 'code') return <CodeBlock fence={item.fence} streaming={item.streaming} />;
  if (item.kind === 'file') return <FileCard path={item.path} fence={item.fence} streaming={item.streaming} />;
  return <Block text={item.text} components={components} />;
}

export function Markdown({ text, streaming, link }: { text: string; streaming: boolean; link?: LinkRenderer }) {
  const { items } = useMemo(() => answerItems(text, streaming), [text, streaming]);
  const components = useMemo(() => (link ? componentsFor(link) : modelComponents), [link]);
  return (
    <div className={`markdown${streaming ? ' streaming' : ''}`}>
      {items.map((item, i) => (
        <Item key={i} item={item} components={components} />
      ))}
    </div>
  );
}
