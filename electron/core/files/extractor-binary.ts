// Binary assets in an answer: base64 in a fenced block with a path (```base64 title="assets/logo.png",
// or `File: assets/logo.png` + ```base64). The extractor streams the base64 text like any file and
// marks it; whoever writes the file decodes it to bytes here.

import { infoLanguage } from './extractor-syntax.js';

const BINARY_EXTENSIONS = new Set(
  'png jpg jpeg gif webp ico bmp tif tiff avif icns woff woff2 ttf otf eot pdf zip gz tgz wasm mp3 wav ogg mp4 webm'.split(' '),
);
const TEXTUAL_INFO = new Set(['', 'base64', 'text', 'txt', 'plaintext', 'plain', 'binary', 'b64']);

/** Is the block with this info string and path base64-encoded bytes? */
export function isBase64Block(info: string, path: string): boolean {
  const lang = infoLanguage(info);
  if (lang === 'base64' || lang === 'b64') return true;
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return BINARY_EXTENSIONS.has(ext) && TEXTUAL_INFO.has(lang);
}

/** Decode a base64 block body (whitespace and a `data:…;base64,` prefix allowed); null when it is not base64. */
export function decodeBase64Body(text: string): Uint8Array | null {
  let s = text.replace(/\s+/g, '');
  const comma = s.indexOf(',');
  if (s.startsWith('data:') && comma > 0 && s.slice(0, comma).endsWith(';base64')) s = s.slice(comma + 1);
  if (s.length === 0 || s.length % 4 === 1 || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(s)) return null;
  return new Uint8Array(Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}
