// Links in model output: they never navigate or open a tab by themselves; a confirm shows the
// full URL and where it really goes; only http, https and mailto ever leave the app, through
// the desktop app's app.openExternal or a browser tab without opener or referrer.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { parseExternalLink, toErrorPayload, type MethodParams } from '../../shared/index.js';
import { Markdown } from '../../renderer/src/components/Markdown.js';
import { LinkConfirmDialog } from '../../renderer/src/components/LinkConfirmDialog.js';
import { openConfirmedLink, type LinkOpeners } from '../../renderer/src/lib/external-link.js';

function recordingOpeners() {
  const external: MethodParams<'app.openExternal'>[] = [];
  const windows: [string, string, string][] = [];
  const openers: LinkOpeners = {
    openExternal: async (params) => {
      external.push(params);
      return { opened: true };
    },
    openWindow: (url, target, features) => windows.push([url, target, features]),
  };
  return { openers, external, windows };
}

describe('links in model output', () => {
  it('render without an href or target, so nothing navigates without the confirm', () => {
    const html = renderToStaticMarkup(
      createElement(Markdown, { text: 'Read [the docs](https://example.com/guide?x=1) and [this](file:///etc/passwd).', streaming: false }),
    );
    expect(html).toContain('data-testid="md-link"');
    expect(html).toContain('the docs');
    expect(html).not.toMatch(/href=/);
    expect(html).not.toMatch(/target=/);
  });

  it('the confirm shows the full URL and emphasises where it really goes', () => {
    const { openers } = recordingOpeners();
    const html = renderToStaticMarkup(
      createElement(LinkConfirmDialog, { href: 'https://bank.example@evil.example/login?next=%2Fhome', host: 'browser', openers, onClose: () => {} }),
    );
    expect(html).toContain('https://bank.example@evil.example/login?next=%2Fhome');
    expect(html).toMatch(/<strong class="link-confirm-target"[^>]*>evil\.example<\/strong>/);
    expect(html).toContain('data-testid="link-confirm-credentials"');
    expect(html).toContain('Open in browser');
    expect(html).toContain('Copy');
    expect(html).toContain('Cancel');
  });

  it('the confirm of a refused scheme names it and offers no Open button', () => {
    const { openers } = recordingOpeners();
    const html = renderToStaticMarkup(createElement(LinkConfirmDialog, { href: 'file:///etc/passwd', host: 'electron', openers, onClose: () => {} }));
    expect(html).toContain('file:///etc/passwd');
    expect(html).toContain('“file:”');
    expect(html).not.toContain('link-confirm-open');
    expect(html).toContain('Copy');
  });

  it('the desktop app opens a confirmed link through app.openExternal, the browser in a tab without opener or referrer', async () => {
    const desktop = recordingOpeners();
    await openConfirmedLink('https://example.com/a b', 'electron', desktop.openers);
    expect(desktop.external).toEqual([{ url: 'https://example.com/a%20b' }]);
    expect(desktop.windows).toEqual([]);

    const browser = recordingOpeners();
    await openConfirmedLink('https://example.com/docs', 'browser', browser.openers);
    expect(browser.windows).toEqual([['https://example.com/docs', '_blank', 'noopener,noreferrer']]);
    expect(browser.external).toEqual([]);
  });

  it('never opens anything but http, https and mailto', async () => {
    for (const href of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'vscode://x', '', '/relative', 'https://']) {
      const { openers, external, windows } = recordingOpeners();
      for (const host of ['electron', 'browser'] as const) {
        const err = await openConfirmedLink(href, host, openers).then(
          () => null,
          (e: unknown) => toErrorPayload(e),
        );
        expect(err?.code, href).toBe('LINK_NOT_ALLOWED');
      }
      expect(external).toEqual([]);
      expect(windows).toEqual([]);
    }
  });
});

describe('parseExternalLink', () => {
  it('knows where a link really goes', () => {
    expect(parseExternalLink('https://example.com/x')).toEqual({ href: 'https://example.com/x', scheme: 'https', target: 'example.com', hasCredentials: false });
    expect(parseExternalLink('http://example.com:8080')).toMatchObject({ scheme: 'http', target: 'example.com:8080' });
    // An IDN shows as it resolves (punycode), so a look-alike letter cannot pass for the real one.
    expect(parseExternalLink('https://gооgle.com/')?.target).toBe('xn--ggle-55da.com');
    expect(parseExternalLink('https://user:pw@example.com/')).toMatchObject({ target: 'example.com', hasCredentials: true });
    expect(parseExternalLink('mailto:someone@example.com?subject=hi')).toMatchObject({ scheme: 'mailto', target: 'someone@example.com' });
    expect(parseExternalLink('  https://example.com/ ')?.href).toBe('https://example.com/');
  });

  it('refuses the rest', () => {
    for (const href of ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', 'ftp://example.com', 'app://macs/', 'mailto:', 'https://', '//example.com', '#top', 'x'.repeat(10_000)]) {
      expect(parseExternalLink(href), href.slice(0, 40)).toBeNull();
    }
  });
});
