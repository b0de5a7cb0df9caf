// Serving a static site's folder: only files really inside the root (the real path is
// checked, so neither `..` nor a symlink leads out), no dotfiles (.git, .env, .macs),
// index.html for folders, and ETag + no-cache so a reload right after a change is fresh.
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { mediaTypeOf } from '../../export/media-type.js';
import { injectProbeBytes, isHtml, wantsProbe } from './html.js';
import { escapeHtml } from './isolation.js';

/** The same bound as a forwarded page's (forward.ts): past it, no probe, no whole read. */
const MAX_PROBED_PAGE_BYTES = 20 * 1024 * 1024;

type Found = { kind: 'file'; file: string; stat: fs.Stats } | { kind: 'redirect'; location: string } | { kind: 'missing' } | { kind: 'refused'; reason: string };

/** The file a URL path names inside root, or why there is none. */
export async function resolveStatic(root: string, urlPath: string): Promise<Found> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'refused', reason: 'The address is not valid percent-encoding.' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'refused', reason: 'The address holds characters no file name here may hold.' };
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..')) return { kind: 'refused', reason: 'The address leads outside the site folder.' };
  if (segments.some((s) => s.startsWith('.'))) return { kind: 'missing' };
  let realRoot: string;
  try {
    realRoot = await fs.promises.realpath(root);
  } catch {
    return { kind: 'missing' };
  }
  let real: string;
  try {
    real = await fs.promises.realpath(path.join(realRoot, ...segments));
  } catch {
    return { kind: 'missing' };
  }
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    return { kind: 'refused', reason: 'The address leads outside the site folder (through a link).' };
  }
  // A link inside the root to a dotfile is as private as the dotfile.
  if (path.relative(realRoot, real).split(path.sep).some((s) => s.startsWith('.'))) return { kind: 'missing' };
  const stat = await fs.promises.stat(real);
  if (stat.isDirectory()) {
    if (!urlPath.endsWith('/')) return { kind: 'redirect', location: `${urlPath}/` };
    const index = path.join(real, 'index.html');
    try {
      const indexStat = await fs.promises.stat(index);
      if (indexStat.isFile()) return { kind: 'file', file: index, stat: indexStat };
    } catch {
      // fall through: a folder without an index is not listed
    }
    return { kind: 'missing' };
  }
  return stat.isFile() ? { kind: 'file', file: real, stat } : { kind: 'missing' };
}

function etagOf(stat: fs.Stats, probed: boolean): string {
  return `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}${probed ? '-p' : ''}"`;
}

/** Answer one request from the folder (headers from `extra` on every answer). */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, extra: Record<string, string>): Promise<void> {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    page(res, 405, 'A static site answers GET and HEAD only.', { ...extra, allow: 'GET, HEAD' });
    return;
  }
  const urlPath = new URL(req.url ?? '/', 'http://preview.invalid').pathname;
  const found = await resolveStatic(root, urlPath);
  if (found.kind === 'refused') return page(res, 403, found.reason, extra);
  if (found.kind === 'missing') return page(res, 404, `There is no file at ${urlPath} in the site folder.`, extra);
  if (found.kind === 'redirect') {
    res.writeHead(301, { ...extra, location: found.location, 'cache-control': 'no-cache' });
    res.end();
    return;
  }
  const type = mediaTypeOf(found.file);
  // A page is read whole to put the probe in; one too large to inspect is streamed as it is.
  const probed = isHtml(type) && wantsProbe(req.headers) && found.stat.size <= MAX_PROBED_PAGE_BYTES;
  const etag = etagOf(found.stat, probed);
  const headers: Record<string, string> = {
    ...extra,
    'content-type': type.startsWith('text/') || type === 'application/json' ? `${type}; charset=utf-8` : type,
    'cache-control': 'no-cache',
    etag,
    'last-modified': found.stat.mtime.toUTCString(),
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  if (probed) {
    const body = injectProbeBytes(await fs.promises.readFile(found.file));
    res.writeHead(200, { ...headers, 'content-length': String(body.length) });
    res.end(method === 'HEAD' ? undefined : body);
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': String(found.stat.size) });
  if (method === 'HEAD') {
    res.end();
    return;
  }
  const stream = fs.createReadStream(found.file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** A short readable HTML answer (errors are pages with a sentence, never blank). */
export function page(res: ServerResponse, status: number, sentence: string, extra: Record<string, string>): void {
  const body = Buffer.from(`<!doctype html><meta charset="utf-8"><title>${status}</title><p>${escapeHtml(sentence)}</p>\n`, 'utf8');
  res.writeHead(status, { ...extra, 'content-type': 'text/html; charset=utf-8', 'content-length': String(body.length), 'cache-control': 'no-store' });
  res.end(body);
}
