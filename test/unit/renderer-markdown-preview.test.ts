// The editor's markdown preview: relative links open project files, schemes go through the
// confirm, links that leave the project go nowhere; the app's Markdown renderer draws it.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MarkdownPreview } from '../../renderer/src/components/MarkdownPreview.js';
import { isMarkdownPath, resolveProjectLink } from '../../renderer/src/lib/project-links.js';

describe('links in a project markdown file', () => {
  it('resolves relative links against the file, and tells external and outside ones apart', () => {
    expect(resolveProjectLink('README.md', 'docs/setup.md#install')).toEqual({ kind: 'file', path: 'docs/setup.md' });
    expect(resolveProjectLink('docs/guide/a.md', '../b%20c.md')).toEqual({ kind: 'file', path: 'docs/b c.md' });
    expect(resolveProjectLink('docs/a.md', '/src/main.py')).toEqual({ kind: 'file', path: 'src/main.py' });
    expect(resolveProjectLink('README.md', '../../etc/passwd')).toEqual({ kind: 'outside' });
    expect(resolveProjectLink('README.md', 'https://example.com')).toEqual({ kind: 'external' });
    expect(resolveProjectLink('README.md', 'file:///etc/passwd')).toEqual({ kind: 'external' });
    expect(resolveProjectLink('README.md', '#usage')).toEqual({ kind: 'anchor' });
    expect(isMarkdownPath('docs/README.MD')).toBe(true);
    expect(isMarkdownPath('a.py')).toBe(false);
  });

  it('renders with the app’s Markdown: project links, external links without an href, no image fetched', () => {
    const text = '# Title\n\nSee [setup](docs/setup.md) and [the site](https://example.com).\n\n![logo](https://tracker.example/logo.png)\n\n```python\nprint(1)\n```\n';
    const html = renderToStaticMarkup(createElement(MarkdownPreview, { path: 'README.md', text, dirty: false }));
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('data-testid="md-project-link" data-path="docs/setup.md"');
    expect(html).toContain('data-testid="md-link"');
    expect(html).not.toMatch(/href=|<img/);
    expect(html).toContain('[image: logo]');
    expect(html).toContain('data-testid="code-copy"');
  });
});
