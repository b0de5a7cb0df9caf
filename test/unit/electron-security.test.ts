// The Electron shell's security decisions as pure functions (electron/security.ts), pinned
// without an Electron binary: exact origin checks, DevTools in production, the CSP.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  devToolsAllowed,
  electronContentSecurityPolicy,
  isAppOrigin,
  isDevToolsShortcut,
  isTrustedIpcSender,
  mayNavigateTo,
  viewMenuItems,
} from '../../electron/security.js';
import { CONTENT_SECURITY_POLICY } from '../../electron/server/static-files.js';

const ROOT = path.resolve(__dirname, '../..');

describe('the app origin is compared exactly', () => {
  it('accepts the app itself', () => {
    expect(APP_ORIGIN).toBe('app://macs');
    for (const url of ['app://macs', 'app://macs/', 'app://macs/index.html', 'app://macs/assets/x.js?v=1#top']) {
      expect(isAppOrigin(url), url).toBe(true);
    }
  });

  it('refuses look-alikes that a prefix check lets through', () => {
    const hostile = [
      'app://macs.evil.com',
      'app://macs.evil.com/index.html',
      'app://macs@evil',
      'app://macs@evil/index.html',
      'app://macs:x@evil',
      'app://x@macs/index.html',
      'app://macsx',
      'app://macs-evil/',
      'app://macs:8080/',
      'app://MACS',
      'app://Macs/index.html',
      'http://app://macs',
      'https://macs/',
      'http://macs/',
      'file:///app://macs',
      'app:macs',
      'app:/macs',
      'app:///macs',
      ' app://macs.evil.com',
      'javascript:app://macs',
      'data:text/html,app://macs',
      'APP://macs.evil',
      '',
      'not a url',
      // Trailing dots, escapes, backslashes, odd ports, Unicode look-alikes and wrapper schemes.
      'app://macs.',
      'app://macs%2e',
      'app://ma%63s',
      'app://macs\\@evil',
      'app://macs:0',
      'app://macs\n.evil',
      'app://macs%00.evil',
      'app://macs\u3002evil',
      'app://macs\u200b',
      'app://macs\u3000',
      'app://xn--macs',
      'app:\\\\macs',
      'blob:app://macs/x',
      'filesystem:app://macs/temporary/x',
    ];
    for (const url of hostile) expect(isAppOrigin(url), url).toBe(false);
    expect(isAppOrigin(undefined)).toBe(false);
    expect(isAppOrigin(null)).toBe(false);
  });

  it('uses the same rule for navigation and for IPC senders', () => {
    expect(mayNavigateTo('app://macs/index.html')).toBe(true);
    expect(mayNavigateTo('app://macs.evil.com/')).toBe(false);
    expect(mayNavigateTo('https://example.com/')).toBe(false);
    expect(isTrustedIpcSender({ senderFrame: { url: 'app://macs/index.html' } })).toBe(true);
    expect(isTrustedIpcSender({ senderFrame: { url: 'app://macs.evil.com/index.html' } })).toBe(false);
    expect(isTrustedIpcSender({ senderFrame: { url: 'app://macs@evil/' } })).toBe(false);
    // A frame that navigated away or was destroyed has no URL to trust.
    expect(isTrustedIpcSender({ senderFrame: null })).toBe(false);
    expect(isTrustedIpcSender({})).toBe(false);
  });
});

describe('DevTools in production', () => {
  it('are only available unpackaged or with MACS_DEVTOOLS=1', () => {
    expect(devToolsAllowed({ isPackaged: false, env: {} })).toBe(true);
    expect(devToolsAllowed({ isPackaged: true, env: {} })).toBe(false);
    expect(devToolsAllowed({ isPackaged: true, env: { MACS_DEVTOOLS: '1' } })).toBe(true);
    expect(devToolsAllowed({ isPackaged: true, env: { MACS_DEVTOOLS: '0' } })).toBe(false);
    expect(devToolsAllowed({ isPackaged: true, env: { MACS_DEVTOOLS: 'true' } })).toBe(false);
  });

  it('are not in the production View menu', () => {
    const roles = (devTools: boolean) => viewMenuItems(devTools).map((item) => ('role' in item ? item.role : '-'));
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).toEqual(expect.arrayContaining(['reload', 'zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen']));
    expect(roles(true)).toContain('toggleDevTools');
  });

  it('recognises every keyboard shortcut that opens them', () => {
    const key = (k: Partial<Parameters<typeof isDevToolsShortcut>[0]>) => ({ type: 'keyDown', key: '', control: false, meta: false, shift: false, alt: false, ...k });
    expect(isDevToolsShortcut(key({ key: 'F12' }))).toBe(true);
    expect(isDevToolsShortcut(key({ key: 'I', control: true, shift: true }))).toBe(true);
    expect(isDevToolsShortcut(key({ key: 'i', control: true, shift: true }))).toBe(true);
    expect(isDevToolsShortcut(key({ key: 'J', control: true, shift: true }))).toBe(true);
    expect(isDevToolsShortcut(key({ key: 'C', control: true, shift: true }))).toBe(true);
    expect(isDevToolsShortcut(key({ key: 'i', meta: true, alt: true }))).toBe(true);
    expect(isDevToolsShortcut(key({ key: 'j', meta: true, alt: true }))).toBe(true);
    // Ordinary editing keys stay with the app.
    expect(isDevToolsShortcut(key({ key: 'i', control: true }))).toBe(false);
    expect(isDevToolsShortcut(key({ key: 'c', control: true }))).toBe(false);
    expect(isDevToolsShortcut(key({ key: 'I', shift: true }))).toBe(false);
    expect(isDevToolsShortcut(key({ key: 'F12', type: 'keyUp' }))).toBe(false);
  });
});

/** The sources a CSP lets one directive use. */
function directive(csp: string, name: string): string[] | null {
  const found = csp
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find((parts) => parts[0] === name);
  return found ? found.slice(1) : null;
}

describe('connect-src', () => {
  it('lets the desktop window connect to its own origin only', () => {
    const csp = electronContentSecurityPolicy(CONTENT_SECURITY_POLICY);
    expect(directive(csp, 'connect-src')).toEqual(["'self'"]);
    // Everything else is the browser host's policy, unchanged.
    expect(directive(csp, 'script-src')).toEqual(directive(CONTENT_SECURITY_POLICY, 'script-src'));
    expect(directive(csp, 'frame-ancestors')).toEqual(["'none'"]);
    // A policy without connect-src gets one (default-src alone would be looser than intended).
    expect(directive(electronContentSecurityPolicy("default-src 'self'"), 'connect-src')).toEqual(["'self'"]);
  });

  it('the page itself (meta CSP, applies in both hosts) allows no other host or port', () => {
    const html = fs.readFileSync(path.join(ROOT, 'renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta).not.toBeNull();
    // CSP3: 'self' also matches ws:/wss: to the page's own host and port, which is
    // where the browser host's WebSocket lives (renderer/src/client/ws-client.ts).
    expect(directive(meta![1], 'connect-src')).toEqual(["'self'"]);
  });
});

describe('Electron version', () => {
  it('is a major the Electron team still supports (latest three stable majors; 45 was latest on 2026-12-06)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const major = Number(/(\d+)/.exec(pkg.devDependencies.electron)?.[1]);
    expect(major).toBeGreaterThanOrEqual(45);
    const installed = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string };
    expect(Number(installed.version.split('.')[0])).toBe(major);
  });
});
