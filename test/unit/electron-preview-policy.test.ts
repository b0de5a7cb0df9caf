// The desktop app's preview view (electron/preview-view.ts) keeps a project's page on its
// app's own origin: these are its decisions, without Electron.
import { describe, expect, it } from 'vitest';
import { mayPreviewNavigate, mayPreviewRequest, previewOriginOf, scaleBounds } from '../../electron/preview-policy.js';

const APP = 'http://127.0.0.1:41234';

describe('the desktop preview view', () => {
  it('navigates only within its app', () => {
    expect(mayPreviewNavigate(`${APP}/about?x=1`, APP)).toBe(true);
    for (const url of ['http://127.0.0.1:5173/', 'app://macs/index.html', 'https://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'http://localhost:41234/', 'not a url']) {
      expect(mayPreviewNavigate(url, APP), url).toBe(false);
    }
    expect(mayPreviewNavigate(`${APP}/`, undefined), 'no run known: nothing').toBe(false);
  });

  it('requests its app and its own bytes, never MACS, another preview or the internet', () => {
    expect(mayPreviewRequest(`${APP}/app.js`, APP)).toBe(true);
    expect(mayPreviewRequest('data:image/png;base64,AAAA', APP)).toBe(true);
    expect(mayPreviewRequest(`blob:${APP}/1f2e`, APP)).toBe(true);
    expect(mayPreviewRequest('ws://127.0.0.1:41234/hmr', APP), 'its own WebSocket').toBe(true);
    for (const url of ['http://127.0.0.1:8787/v1/tasks', 'ws://127.0.0.1:8787/ws', 'http://127.0.0.1:41235/', 'https://cdn.example.com/x.js']) {
      expect(mayPreviewRequest(url, APP), url).toBe(false);
    }
  });

  it('reads origins of http(s) only, and lays the view over the rectangle at the window zoom', () => {
    expect(previewOriginOf(`${APP}/a/b`)).toBe(APP);
    expect(previewOriginOf('app://macs/')).toBeNull();
    expect(scaleBounds({ x: 10, y: 20, width: 300, height: 200 }, 1.25)).toEqual({ x: 13, y: 25, width: 375, height: 250 });
    expect(scaleBounds({ x: 10, y: 20, width: 300, height: 200 }, Number.NaN)).toEqual({ x: 10, y: 20, width: 300, height: 200 });
  });
});
