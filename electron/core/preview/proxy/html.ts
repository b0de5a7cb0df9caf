// Putting the probe into an HTML page: first in <head> so it sees the page's own scripts'
// errors, after the doctype so the page keeps its standards mode, and never twice.
import type { IncomingHttpHeaders } from 'node:http';
import { PROBE_PATH, PROBE_TAG } from './probe.js';

const HEAD_OPEN = /<head(?:\s[^>]*)?>/i;
const HTML_OPEN = /<html(?:\s[^>]*)?>/i;
const DOCTYPE = /^\s*<!doctype[^>]*>/i;

export function injectProbe(html: string): string {
  if (html.includes(PROBE_PATH)) return html;
  const head = HEAD_OPEN.exec(html);
  if (head) return insertAt(html, head.index + head[0].length);
  const root = HTML_OPEN.exec(html);
  if (root) return insertAt(html, root.index + root[0].length);
  const doctype = DOCTYPE.exec(html);
  return insertAt(html, doctype ? doctype[0].length : 0);
}

/**
 * The same on the page's bytes, whatever its charset: read as latin1 (one char per byte),
 * the ASCII tags are found and the tag goes in without re-encoding the rest.
 */
export function injectProbeBytes(page: Buffer): Buffer {
  return Buffer.from(injectProbe(page.toString('latin1')), 'latin1');
}

function insertAt(html: string, at: number): string {
  return html.slice(0, at) + PROBE_TAG + html.slice(at);
}

export function isHtml(contentType: string | undefined): boolean {
  return !!contentType && /^\s*text\/html\b/i.test(contentType);
}

/**
 * Only documents get the probe: a page or a frame (or a client that does not say, such as a
 * test), never an HTML fragment the page fetches for itself (htmx, turbo).
 */
export function wantsProbe(headers: IncomingHttpHeaders): boolean {
  const dest = headers['sec-fetch-dest'];
  return dest === undefined || dest === 'document' || dest === 'iframe' || dest === 'frame';
}
